/**
 * Grouping of the loaded fleet rows by profile or location: pure, so the rules are tested
 * directly. A group header is a row of its own in the virtual table (one height, one Tab stop);
 * rows inside a group keep the list's sort order, groups go by name with the "none" group last.
 */
import type { DeviceSummary } from '../../../shared/api';

export const GROUP_BY = ['none', 'profile', 'location'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface FleetGroupRow {
  kind: 'group';
  /** row key; never a MAC, so it cannot collide with a device row */
  id: string;
  key: string;
  label: string;
  /** the device rows that have no value for the grouped field */
  none: boolean;
  count: number;
  online: number;
  late: number;
  offline: number;
  collapsed: boolean;
}

export type FleetRow = DeviceSummary | FleetGroupRow;

export const isGroupRow = (row: FleetRow): row is FleetGroupRow => (row as FleetGroupRow).kind === 'group';
export const GROUP_ID_PREFIX = 'group:';
export const isGroupId = (id: string): boolean => id.startsWith(GROUP_ID_PREFIX);

function groupOf(device: DeviceSummary, by: Exclude<GroupBy, 'none'>): { key: string; label: string; none: boolean } {
  if (by === 'profile') {
    return device.profileId === null
      ? { key: 'profile:none', label: 'No profile', none: true }
      : { key: `profile:${device.profileId}`, label: device.profileName ?? `Profile ${device.profileId}`, none: false };
  }
  const place = device.location.trim();
  // "Shed" and "shed " are one place to a person
  return place ? { key: `location:${place.toLowerCase()}`, label: place, none: false } : { key: 'location:none', label: 'No location', none: true };
}

export interface Grouped {
  /** what the table shows: headers, and the rows of expanded groups */
  rows: FleetRow[];
  /** device ids in display order, collapsed groups left out (ranges and arrows follow this) */
  deviceIds: string[];
}

export function groupRows(devices: readonly DeviceSummary[], by: GroupBy, collapsed: ReadonlySet<string>): Grouped {
  if (by === 'none') return { rows: devices as FleetRow[], deviceIds: devices.map((d) => d.id) };
  const groups = new Map<string, { head: FleetGroupRow; members: DeviceSummary[] }>();
  for (const device of devices) {
    const g = groupOf(device, by);
    let group = groups.get(g.key);
    if (!group) {
      group = {
        head: { kind: 'group', id: GROUP_ID_PREFIX + g.key, key: g.key, label: g.label, none: g.none, count: 0, online: 0, late: 0, offline: 0, collapsed: collapsed.has(g.key) },
        members: [],
      };
      groups.set(g.key, group);
    }
    // one spelling for the place whatever order the rows come in ("Roof" before "roof")
    if (g.label < group.head.label) group.head.label = g.label;
    group.members.push(device);
    group.head.count += 1;
    if (device.status === 'online' || device.status === 'late' || device.status === 'offline') group.head[device.status] += 1;
  }
  const ordered = [...groups.values()].sort((a, b) =>
    Number(a.head.none) - Number(b.head.none) || a.head.label.localeCompare(b.head.label, undefined, { sensitivity: 'base', numeric: true }));
  const rows: FleetRow[] = [];
  const deviceIds: string[] = [];
  for (const { head, members } of ordered) {
    rows.push(head);
    if (head.collapsed) continue;
    for (const m of members) {
      rows.push(m);
      deviceIds.push(m.id);
    }
  }
  return { rows, deviceIds };
}
