/**
 * What an import would do, row by row, decided before anything is written: create a
 * pre-registration, update a known device or pre-registration, or skip (with the reason).
 */
import { ConfigObjectSchema } from '../../../../shared/api';
import type { ImportRowResult } from '../../../../shared/api/transfer';
import type { ConfigObject } from '../../../../shared/config';
import { configEquals } from '../../../../shared/config';
import { normalizeDeviceId } from '../../../../shared/device-id';
import type { ServiceContext } from '../context';
import type { RawImportRecord } from './import-rows';

export interface PlannedRow extends ImportRowResult {
  /** what to set; only fields the row gives */
  set: { name?: string; location?: string; notes?: string; tags?: string[]; profileId?: number; overrides?: ConfigObject };
}

const LIMITS = { name: 128, location: 256, notes: 4096 } as const;

function tagsOf(raw: RawImportRecord['tags']): string[] | string {
  const list = Array.isArray(raw) ? raw : String(raw ?? '').split(/[;,]/);
  const tags = [...new Set(list.map((t) => String(t).trim()).filter((t) => t.length > 0))].sort();
  if (tags.length > 64) return 'more than 64 tags';
  const long = tags.find((t) => t.length > 64);
  return long ? `tag "${long.slice(0, 20)}…" is longer than 64 characters` : tags;
}

function configOf(raw: RawImportRecord['config']): ConfigObject | string {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'config is not valid JSON';
    }
  }
  const parsed = ConfigObjectSchema.safeParse(value);
  return parsed.success && value !== null && !Array.isArray(value) ? parsed.data : 'config must be a JSON object';
}

function profileIdOf(ctx: ServiceContext, name: string): number | null {
  const profiles = [...ctx.state.profiles.values()];
  return (profiles.find((p) => p.name === name) ?? profiles.find((p) => p.name.toLowerCase() === name.toLowerCase()))?.id ?? null;
}

/** Validates one record into what it sets, or a reason to skip it. */
function validate(ctx: ServiceContext, record: RawImportRecord): PlannedRow['set'] | string {
  if (record.malformed) return `malformed row: ${record.malformed}`;
  const set: PlannedRow['set'] = {};
  for (const field of ['name', 'location', 'notes'] as const) {
    const value = record[field];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') return `${field} must be text`;
    if (value.length > LIMITS[field]) return `${field} is longer than ${LIMITS[field]} characters`;
    set[field] = value;
  }
  if (record.tags !== undefined && record.tags !== '') {
    const tags = tagsOf(record.tags);
    if (typeof tags === 'string') return tags;
    set.tags = tags;
  }
  if (record.profile !== undefined && record.profile !== '') {
    const id = profileIdOf(ctx, String(record.profile));
    if (id === null) return `unknown profile "${String(record.profile).slice(0, 64)}"`;
    set.profileId = id;
  }
  if (record.config !== undefined && record.config !== '') {
    const config = configOf(record.config);
    if (typeof config === 'string') return config;
    set.overrides = config;
  }
  return set;
}

function changesAgainst(current: { name: string; location: string; tags: string[]; profileId: number | null; overrides: ConfigObject }, set: PlannedRow['set']): string[] {
  const changes: string[] = [];
  if (set.name !== undefined && set.name !== current.name) changes.push('name');
  if (set.location !== undefined && set.location !== current.location) changes.push('location');
  if (set.notes !== undefined) changes.push('notes');
  if (set.tags !== undefined && set.tags.join('\n') !== [...current.tags].sort().join('\n')) changes.push('tags');
  if (set.profileId !== undefined && set.profileId !== current.profileId) changes.push('profile');
  if (set.overrides !== undefined && !configEquals(set.overrides, current.overrides)) changes.push('config');
  return changes;
}

export function planImport(ctx: ServiceContext, records: RawImportRecord[]): PlannedRow[] {
  const seen = new Map<string, number>();
  return records.map((record, index): PlannedRow => {
    const row = index + 1;
    const name = typeof record.name === 'string' ? record.name.slice(0, 128) : '';
    const skip = (mac: string | null, reason: string): PlannedRow => ({ row, mac, name, outcome: 'skip', reason, set: {} });
    const mac = typeof record.mac === 'string' ? normalizeDeviceId(record.mac) : null;
    if (!mac) return skip(null, record.mac ? `"${String(record.mac).slice(0, 40)}" is not a MAC address` : 'no MAC address');
    const earlier = seen.get(mac);
    if (earlier !== undefined) return skip(mac, `same MAC as row ${earlier}`);
    seen.set(mac, row);
    const set = validate(ctx, record);
    if (typeof set === 'string') return skip(mac, set);
    const device = ctx.state.devices.get(mac);
    if (device?.state === 'blocked') return skip(mac, 'the device is blocked');
    const pre = device ? undefined : ctx.repos.preregistrations.get(mac);
    const current = device ?? pre;
    if (!current) return { row, mac, name, outcome: 'create', reason: 'pre-registered until it first makes contact', set };
    const changes = changesAgainst(current, set);
    if (changes.length === 0) return skip(mac, device ? 'the device already has these values' : 'already pre-registered with these values');
    return { row, mac, name, outcome: 'update', reason: `${device ? 'device' : 'pre-registration'}: ${changes.join(', ')}`, set };
  });
}
