/**
 * Pure helpers of the fleet list: does a device match the current filter, and how a batch of
 * deltas changes the loaded rows. Kept free of Vue so the rules are tested directly.
 */
import type { DeviceListQuery, DeviceSummary, FleetDelta } from '../../../shared/api';
import type { DeviceStatus } from '../../../shared/status';

export type FleetFilter = Pick<DeviceListQuery, 'q' | 'status' | 'profileId' | 'tag'>;

/** Client-side mirror of the server's filter, used only to place devices that appear live. */
export function matchesFilter(device: DeviceSummary, filter: FleetFilter): boolean {
  if (filter.status?.length && !filter.status.includes(device.status)) return false;
  if (filter.profileId !== undefined && filter.profileId !== null) {
    if (filter.profileId === -1 ? device.profileId !== null : device.profileId !== filter.profileId) return false;
  }
  if (filter.tag && !device.tags.includes(filter.tag)) return false;
  const q = filter.q?.trim().toLowerCase();
  if (q) {
    const haystack = [device.name, device.id, device.ip ?? '', device.location, ...device.tags].join('\n').toLowerCase();
    if (!haystack.includes(q)) return false;
  }
  return true;
}

export interface RowsChange {
  rows: DeviceSummary[];
  /** change of `total` for the current filter */
  totalDelta: number;
  /** whether anything that feeds the status counts changed */
  countsStale: boolean;
  changed: boolean;
}

/**
 * Applies deltas to the loaded rows. Known rows are replaced in place (same position: no layout
 * jump), new devices matching the filter are appended, removed ones dropped. Returns the same
 * array when nothing visible changed so the table does not re-render for nothing.
 */
export function applyDeltasToRows(
  rows: DeviceSummary[],
  indexById: Map<string, number>,
  deltas: FleetDelta[],
  filter: FleetFilter,
): RowsChange {
  let next: DeviceSummary[] | null = null;
  let totalDelta = 0;
  let countsStale = false;
  let removed = false;
  const writable = () => (next ??= rows.slice());
  for (const delta of deltas) {
    if (delta.type === 'device') {
      countsStale = true;
      const index = indexById.get(delta.device.id);
      if (index !== undefined) {
        writable()[index] = delta.device;
      } else if (matchesFilter(delta.device, filter)) {
        indexById.set(delta.device.id, writable().length);
        writable().push(delta.device);
        totalDelta += 1;
      }
    } else if (delta.type === 'status') {
      countsStale = true;
      const index = indexById.get(delta.id);
      const current = index === undefined ? undefined : (next ?? rows)[index];
      if (index !== undefined && current) {
        writable()[index] = { ...current, status: delta.status, lastSeenAt: delta.lastSeenAt };
      }
    } else if (delta.type === 'device_removed') {
      countsStale = true;
      const index = indexById.get(delta.id);
      if (index !== undefined) {
        writable()[index] = undefined as unknown as DeviceSummary; // compacted below
        indexById.delete(delta.id);
        totalDelta -= 1;
        removed = true;
      }
    }
  }
  // `next` is assigned inside writable(); TypeScript cannot see that through the closure
  let result = next as DeviceSummary[] | null;
  if (result && removed) {
    result = result.filter(Boolean);
    indexById.clear();
    result.forEach((row, i) => indexById.set(row.id, i));
  }
  return { rows: result ?? rows, totalDelta, countsStale, changed: result !== null };
}

/** Deltas about devices whose rows are not loaded yet, per device, in arrival order. */
export class DeferredDeltas {
  private readonly byId = new Map<string, FleetDelta[]>();

  /** Keeps back the row deltas about unknown ids; returns the deltas to apply now. */
  holdUnknown(deltas: FleetDelta[], indexById: Map<string, number>): FleetDelta[] {
    const now: FleetDelta[] = [];
    for (const delta of deltas) {
      const id = delta.type === 'device' ? delta.device.id : delta.type === 'status' || delta.type === 'device_removed' ? delta.id : null;
      if (id === null || indexById.has(id)) {
        now.push(delta);
        continue;
      }
      const list = this.byId.get(id);
      if (list) list.push(delta);
      else this.byId.set(id, [delta]);
    }
    return now;
  }

  /** A row as loaded, brought up to date by what was held for it (null: removed meanwhile). */
  take(loaded: DeviceSummary): DeviceSummary | null {
    const held = this.byId.get(loaded.id);
    if (!held) return loaded;
    this.byId.delete(loaded.id);
    let row: DeviceSummary | null = loaded;
    for (const delta of held) {
      if (delta.type === 'device') row = delta.device;
      else if (delta.type === 'device_removed') row = null;
      else if (delta.type === 'status' && row) row = { ...row, status: delta.status, lastSeenAt: delta.lastSeenAt };
    }
    return row;
  }

  /** What no chunk claimed: devices that are really new (or changed out of the filter). */
  remaining(): FleetDelta[] {
    return [...this.byId.values()].flat();
  }
}

export function indexRows(rows: DeviceSummary[]): Map<string, number> {
  const index = new Map<string, number>();
  rows.forEach((row, i) => index.set(row.id, i));
  return index;
}

export const EMPTY_COUNTS: Record<DeviceStatus, number> = { online: 0, late: 0, offline: 0, pending: 0, blocked: 0 };
