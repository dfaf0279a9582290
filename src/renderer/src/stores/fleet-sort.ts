/**
 * The server's ORDER BY, mirrored for rows that change live: when a check-in moves the sorted
 * value (signal, last seen, status…), the loaded list is put back in order without a reload.
 * Same rules as SQLite: NULL first when ascending, NOCASE = ASCII case folded, ties by MAC.
 */
import type { DeviceSortKey, DeviceSummary } from '../../../shared/api';

type Value = string | number | null;
const STATUS_RANK: Record<string, number> = { online: 0, late: 1, offline: 2, pending: 3 };
// SQLite's NOCASE folds only ASCII letters
const nocase = (s: string | null): string | null => (s === null ? null : s.replace(/[A-Z]+/g, (m) => m.toLowerCase()));

export const SORT_VALUE: Record<DeviceSortKey, (d: DeviceSummary) => Value> = {
  status: (d) => STATUS_RANK[d.status] ?? 4,
  name: (d) => nocase(d.name),
  id: (d) => d.id,
  location: (d) => nocase(d.location),
  profile: (d) => nocase(d.profileName),
  ip: (d) => d.ip,
  ssid: (d) => nocase(d.ssid),
  rssi: (d) => d.rssi,
  fwVersion: (d) => d.fwVersion,
  inSync: (d) => (d.inSync ? 1 : 0),
  lastSeenAt: (d) => d.lastSeenAt,
  createdAt: (d) => d.createdAt,
};

function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  // SQLite: numbers before text
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  return a < b ? -1 : 1;
}

export function compareDevices(sort: DeviceSortKey, order: 'asc' | 'desc'): (a: DeviceSummary, b: DeviceSummary) => number {
  const value = SORT_VALUE[sort];
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => sign * (compareValues(value(a), value(b)) || compareValues(a.id, b.id));
}

/** Whether the rows are in order (cheap: one pass), so an unchanged order costs no re-render. */
export function isSorted(rows: readonly DeviceSummary[], compare: (a: DeviceSummary, b: DeviceSummary) => number): boolean {
  for (let i = 1; i < rows.length; i++) if (compare(rows[i - 1]!, rows[i]!) > 0) return false;
  return true;
}
