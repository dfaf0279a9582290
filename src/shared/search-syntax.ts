/**
 * The fleet search box's syntax, one parser for the server's list query and the UI's hints:
 *   tag:battery  profile:greenhouse  status:offline  fw:<1.2  location:"north wall"  free text
 * Filters of one kind: tags and fw comparisons must all hold, profiles and statuses are
 * alternatives. MAC addresses (aa:bb:…) stay free text. An unknown prefix is an error that names
 * the known ones, never a silent "nothing matches".
 */
import type { DeviceStatus } from './status';

const DEVICE_STATUSES: readonly DeviceStatus[] = ['online', 'late', 'offline', 'pending', 'blocked'];

export const SEARCH_PREFIXES = ['tag', 'profile', 'status', 'fw', 'location'] as const;
export type VersionOp = '<' | '<=' | '>' | '>=' | '=';

export interface ParsedSearch {
  text: string;
  tags: string[];
  profiles: string[];
  statuses: DeviceStatus[];
  fw: { op: VersionOp; version: string }[];
  locations: string[];
  errors: string[];
}

const TOKEN = /(\S+?):"([^"]*)"?|"([^"]*)"?|(\S+)/g;
const MAC_LIKE = /^[0-9a-f]{1,2}(:[0-9a-f]{0,2})+$/i;
const PREFIXED = /^([A-Za-z]+):(.*)$/;
const FW = /^(<=|>=|<|>|=)?\s*([0-9][0-9A-Za-z.+-]*)$/;

export function parseSearch(query: string): ParsedSearch {
  const out: ParsedSearch = { text: '', tags: [], profiles: [], statuses: [], fw: [], locations: [], errors: [] };
  const free: string[] = [];
  let filtered = false;
  for (const m of query.matchAll(TOKEN)) {
    let prefix: string | undefined;
    let value: string;
    if (m[1] !== undefined) [prefix, value] = [m[1], m[2]!];
    else if (m[3] !== undefined) value = m[3];
    else {
      const raw = m[4]!;
      const p = MAC_LIKE.test(raw) ? null : PREFIXED.exec(raw);
      if (p) [prefix, value] = [p[1]!, p[2]!];
      else value = raw;
    }
    if (prefix === undefined) {
      if (value) free.push(value);
      continue;
    }
    filtered = true;
    const key = prefix.toLowerCase();
    if (!value) {
      out.errors.push(`“${prefix}:” needs a value, e.g. ${prefix}:something.`);
      continue;
    }
    switch (key) {
      case 'tag': out.tags.push(value); break;
      case 'profile': out.profiles.push(value); break;
      case 'location': case 'loc': out.locations.push(value); break;
      case 'status': {
        const s = value.toLowerCase();
        if ((DEVICE_STATUSES as readonly string[]).includes(s)) out.statuses.push(s as DeviceStatus);
        else out.errors.push(`Unknown status “${value}”: use ${DEVICE_STATUSES.join(', ')}.`);
        break;
      }
      case 'fw': case 'firmware': {
        const f = FW.exec(value);
        if (f) out.fw.push({ op: (f[1] ?? '=') as VersionOp, version: f[2]! });
        else out.errors.push(`“fw:${value}” is not a version comparison: try fw:<1.2 or fw:>=2.0.1.`);
        break;
      }
      default:
        out.errors.push(`Unknown filter “${prefix}:”. Known: ${SEARCH_PREFIXES.map((p) => `${p}:`).join(' ')} — or plain text.`);
    }
  }
  if (out.fw.length > 2) out.errors.push('At most two fw: comparisons (a range).');
  // Without any filter the query is plain text, searched as typed: quotes are part of a name
  // ('it's "north"'), not phrase marks.
  out.text = filtered ? free.join(' ') : query.trim();
  return out;
}

/** Compares dotted versions numerically per segment ("1.10" > "1.9"); non-numeric parts as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const diff = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

export function versionMatches(version: string | null, op: VersionOp, wanted: string): boolean {
  if (version === null) return false;
  const c = compareVersions(version, wanted);
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : c === 0;
}
