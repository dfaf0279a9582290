/**
 * The original design's restDB.sqlite (table `devices`: deviceid, name, lastseen, ssid, ipaddr,
 * cfgsn, flags, data, datec) into the fleet: every usable row becomes a legacy-protocol device,
 * active (the operator brings it in), with its cfgsn kept so the device never sees its config
 * number go backwards and counts as in sync. Rows sharing a deviceid (the original created them
 * under concurrent registration) are merged: the newest lastseen wins.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigObjectSchema } from '../../../../shared/api';
import type { SeedProblem, SeedReport } from '../../../../shared/api/transfer';
import { type ConfigObject, mergeConfig } from '../../../../shared/config';
import { normalizeDeviceId } from '../../../../shared/device-id';
import { FleetError } from '../../errors';
import { newDeviceRuntime } from '../../db/device-codec';
import { type ServiceContext, emitDevice } from '../context';
import type { Author } from '../contracts';

export const SEED_MAX_BYTES = 64 * 1024 * 1024;
const SEED_MAX_ROWS = 100_000;
/** where non-JSON `data` is kept verbatim */
export const LEGACY_DATA_KEY = 'legacyData';

interface SeedRow { rowid: number; deviceid: unknown; name: unknown; lastseen: unknown; ssid: unknown; ipaddr: unknown; cfgsn: unknown; flags: unknown; data: unknown; datec: unknown }

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Epoch ms from what the original stored: JS `Date.toString()` text ("Tue Mar 05 2019 14:03:11
 * GMT+0100 (CET)"), epoch milliseconds (number or digits), or ISO text. null when unreadable.
 */
export function parseOriginalTime(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e11 ? value : value * 1000;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d{9,13}$/.test(text)) return parseOriginalTime(Number(text));
  const m = /^\w{3} (\w{3}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT([+-])(\d{2})(\d{2})/.exec(text);
  if (m) {
    const month = MONTHS.indexOf(m[1]!);
    if (month < 0) return null;
    const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
    return Date.UTC(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
  }
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) ? parsed : null;
}

/** A value of the original's untyped SQLite columns as text (TEXT, INTEGER, REAL or a BLOB). */
function asText(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
  return JSON.stringify(v) ?? '';
}
const text = (v: unknown): string | null => (v === null || v === undefined ? null : asText(v));

function readRows(file: Buffer): SeedRow[] {
  if (file.length === 0) throw new FleetError('bad_request', 'send the restDB.sqlite file as the request body');
  if (file.subarray(0, 16).toString('latin1') !== 'SQLite format 3\u0000') throw new FleetError('bad_request', 'this is not an SQLite database file');
  const dir = mkdtempSync(join(tmpdir(), 'fleetdesk-seed-'));
  try {
    const path = join(dir, 'restDB.sqlite');
    writeFileSync(path, file);
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
    } catch {
      throw new FleetError('bad_request', 'this SQLite file cannot be opened');
    }
    try {
      const columns = new Set((db.prepare("SELECT name FROM pragma_table_info('devices')").pluck().all() as string[]));
      const missing = ['deviceid', 'name', 'lastseen', 'ssid', 'ipaddr', 'cfgsn', 'data'].filter((c) => !columns.has(c));
      if (columns.size === 0 || missing.length > 0) {
        throw new FleetError('bad_request', `not the original restDB.sqlite: table devices ${columns.size === 0 ? 'is missing' : `lacks ${missing.join(', ')}`}`);
      }
      const optional = (c: string) => (columns.has(c) ? c : `NULL AS ${c}`);
      const count = db.prepare('SELECT count(*) FROM devices').pluck().get() as number;
      if (count > SEED_MAX_ROWS) throw new FleetError('payload_too_large', `at most ${SEED_MAX_ROWS} rows (this file has ${count})`);
      return db.prepare(`SELECT rowid, deviceid, name, lastseen, ssid, ipaddr, cfgsn, ${optional('flags')}, data, ${optional('datec')} FROM devices ORDER BY rowid`).all() as SeedRow[];
    } catch (err) {
      if (err instanceof FleetError) throw err;
      throw new FleetError('bad_request', `this SQLite file cannot be read: ${(err as Error).message}`);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function overridesOf(data: unknown): { overrides: ConfigObject; verbatim: boolean } {
  if (data === null || data === undefined || data === '') return { overrides: {}, verbatim: false };
  try {
    const parsed = ConfigObjectSchema.safeParse(JSON.parse(asText(data)));
    if (parsed.success) return { overrides: parsed.data, verbatim: false };
  } catch {
    // not JSON: kept verbatim below
  }
  return { overrides: { [LEGACY_DATA_KEY]: asText(data) }, verbatim: true };
}

export function importSeed(ctx: ServiceContext, file: Buffer, dryRun: boolean, author: Author): SeedReport {
  const rows = readRows(file);
  const problems: SeedProblem[] = [];
  const groups = new Map<string, SeedRow[]>();
  let skipped = 0;
  for (const row of rows) {
    const id = typeof row.deviceid === 'string' || typeof row.deviceid === 'number' ? normalizeDeviceId(String(row.deviceid)) : null;
    if (!id) {
      skipped++;
      problems.push({ deviceid: asText(row.deviceid ?? '').slice(0, 64), problem: `row ${row.rowid}: not a usable device id; skipped` });
      continue;
    }
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  const seenAt = (r: SeedRow) => parseOriginalTime(r.lastseen) ?? parseOriginalTime(r.datec) ?? 0;
  let merged = 0;
  const chosen: { id: string; row: SeedRow; createdAt: number }[] = [];
  for (const [id, group] of groups) {
    const newest = [...group].sort((a, b) => seenAt(b) - seenAt(a) || b.rowid - a.rowid)[0]!;
    if (group.length > 1) {
      merged += group.length - 1;
      problems.push({ deviceid: id, problem: `${group.length} rows with this deviceid merged; kept the newest (row ${newest.rowid})` });
    }
    if (ctx.state.devices.has(id)) {
      skipped++;
      problems.push({ deviceid: id, problem: 'already in the fleet; left as it is' });
      continue;
    }
    const created = group.map((r) => parseOriginalTime(r.datec)).filter((t): t is number => t !== null);
    chosen.push({ id, row: newest, createdAt: created.length ? Math.min(...created) : (parseOriginalTime(newest.lastseen) ?? ctx.clock.now()) });
  }
  const report: SeedReport = { dryRun, created: chosen.length, merged, skipped, problems };
  for (const { id, row } of chosen) {
    if (overridesOf(row.data).verbatim) problems.push({ deviceid: id, problem: `data is not a JSON object; kept verbatim under "${LEGACY_DATA_KEY}"` });
  }
  if (dryRun || chosen.length === 0) return report;

  ctx.atomically(() => {
    for (const { id, row, createdAt } of chosen) {
      const { overrides } = overridesOf(row.data);
      const cfgsnRaw = Number(row.cfgsn);
      const cfgsn = Math.max(Number.isSafeInteger(cfgsnRaw) && cfgsnRaw > 0 ? cfgsnRaw : 1, ctx.repos.devices.watermark(id) + 1);
      const device = newDeviceRuntime({
        id, state: 'active', tokenHash: null, protocol: 'legacy', createdAt, cfgsn, status: 'offline',
        name: (text(row.name) ?? '').slice(0, 128), ip: text(row.ipaddr), ssid: text(row.ssid), lastSeenAt: parseOriginalTime(row.lastseen),
        overrides, effective: mergeConfig({}, overrides),
        // A legacy device counts what it was handed as applied: it has this cfgsn already.
        cfgsnReported: cfgsn,
      });
      ctx.repos.devices.insert(device, { chipId: null, flashSize: null });
      if (row.flags !== null && row.flags !== undefined && asText(row.flags) !== '' && asText(row.flags) !== '0') {
        ctx.repos.devices.patch(id, 'notes', `flags in the original database: ${asText(row.flags).slice(0, 200)}`);
      }
      ctx.repos.revisions.insert('device', id, author, ctx.clock.now(), {}, overrides, 'imported from restDB.sqlite');
      ctx.events.record('registered', id, `${device.name || id} imported from restDB.sqlite by ${author}`, { author, seed: true, cfgsn });
      ctx.state.devices.set(id, device);
      emitDevice(ctx, device);
    }
  });
  return report;
}
