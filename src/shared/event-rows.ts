/**
 * How the Events page shows the log: which events a filter admits (for live additions) and
 * connectivity flapping — a device bouncing between online, late and offline — folded into one row.
 * Pure, so the rules are unit-tested apart from the UI.
 */
import { CONNECTIVITY_KINDS, type FleetEvent } from './api/events';

/** Transitions of one device this close to the previous one belong to the same burst of flapping. */
export const FLAP_WINDOW_MS = 10 * 60_000;

export type EventRow =
  | { type: 'event'; event: FleetEvent }
  /** newest first; `transitions` adds up the events' own repeat counts */
  | { type: 'flapping'; key: string; deviceId: string; events: FleetEvent[]; transitions: number; from: number; to: number };

const isConnectivity = (e: FleetEvent): boolean => CONNECTIVITY_KINDS.includes(e.kind);

/**
 * Folds consecutive connectivity events of one device (no other event of that device between
 * them, each within `windowMs` of the next) into one flapping row at the place of the newest.
 * A lone transition stays a plain row. `events` must be newest first, as the API returns them.
 */
export function collapseFlapping(events: readonly FleetEvent[], windowMs = FLAP_WINDOW_MS): EventRow[] {
  const groups: FleetEvent[][] = [];
  const rows: (FleetEvent | FleetEvent[])[] = [];
  const open = new Map<string, FleetEvent[]>();
  for (const e of events) {
    if (e.deviceId === null) {
      rows.push(e);
      continue;
    }
    if (!isConnectivity(e)) {
      open.delete(e.deviceId);
      rows.push(e);
      continue;
    }
    const group = open.get(e.deviceId);
    const oldest = group?.[group.length - 1];
    if (group && oldest && oldest.at - e.at <= windowMs) {
      group.push(e);
      continue;
    }
    const fresh = [e];
    open.set(e.deviceId, fresh);
    groups.push(fresh);
    rows.push(fresh);
  }
  return rows.map((row): EventRow => {
    if (!Array.isArray(row)) return { type: 'event', event: row };
    if (row.length === 1) return { type: 'event', event: row[0]! };
    const newest = row[0]!;
    const oldest = row[row.length - 1]!;
    return {
      // keyed by the oldest: newer transitions join the row without changing its identity (an open row stays open)
      type: 'flapping', key: `flap-${oldest.id}`, deviceId: newest.deviceId!, events: row,
      transitions: row.reduce((sum, e) => sum + e.count, 0), from: oldest.at, to: newest.at,
    };
  });
}

/** The Events page's filter as the UI holds it (the URL query and the API use the same names). */
export interface EventViewFilter {
  kind?: string[];
  deviceId?: string;
  profileId?: number;
  since?: number;
  until?: number;
  hideConnectivity?: boolean;
}

/**
 * Whether a live event belongs in the filtered list. The profile is not known from the event
 * alone: with a profile filter the caller reloads instead.
 */
export function eventMatches(e: FleetEvent, f: EventViewFilter): boolean {
  if (f.kind?.length && !f.kind.includes(e.kind)) return false;
  if (f.deviceId !== undefined && e.deviceId !== f.deviceId) return false;
  if (f.since !== undefined && e.at < f.since) return false;
  if (f.until !== undefined && e.at >= f.until) return false;
  if (f.hideConnectivity && isConnectivity(e)) return false;
  return true;
}
