/** Column definitions of the fleet table; each cell is a small component so live updates stay local. */
import { h } from 'vue';
import type { DataTableColumn } from 'naive-ui';
import type { DeviceSortKey, DeviceSummary } from '../../../../shared/api';
import { isGroupRow, type FleetRow } from '../../stores/fleet-grouping';
import RelativeTime from '../RelativeTime.vue';
import { signalCell, statusCell, syncCell, tagsCell } from './cells';

export interface FleetColumn {
  key: string;
  title: string;
  sortKey?: DeviceSortKey;
  width: number;
  /** shown unless the user hides it */
  default: boolean;
  render: (row: DeviceSummary) => ReturnType<typeof h> | string;
}

const dash = (v: string | null | undefined) => (v ? v : '—');
/** text a narrow column may cut: the whole value is one hover away */
const titled = (v: string | null | undefined) => (v ? h('span', { title: v }, v) : '—');

// Order: what an operator scans first. The default set fits 1440 px without scrolling sideways
// (MAC included); signal and IP are one click away in Columns, and on the device page.
export const FLEET_COLUMNS: FleetColumn[] = [
  { key: 'status', title: 'Status', sortKey: 'status', width: 150, default: true, render: (r) => statusCell(r.status) },
  // an unnamed device shows its MAC, so a fresh fleet is not a column of identical "unnamed"
  { key: 'name', title: 'Name', sortKey: 'name', width: 150, default: true, render: (r) => (r.name
    ? h('span', { class: 'cell-name', title: r.name }, r.name)
    : h('span', { class: 'mono muted', title: `${r.id} (no name yet)`, 'data-unnamed': '' }, r.id)) },
  { key: 'location', title: 'Location', sortKey: 'location', width: 100, default: true, render: (r) => titled(r.location) },
  { key: 'profile', title: 'Profile', sortKey: 'profile', width: 100, default: true, render: (r) => titled(r.profileName) },
  { key: 'tags', title: 'Tags', width: 130, default: true, render: (r) => tagsCell(r.tags) },
  { key: 'inSync', title: 'Config', sortKey: 'inSync', width: 130, default: true, render: (r) => syncCell(r.inSync, r.cfgsn, r.cfgsnReported) },
  { key: 'lastSeenAt', title: 'Last seen', sortKey: 'lastSeenAt', width: 100, default: true, render: (r) => h(RelativeTime, { at: r.lastSeenAt }) },
  { key: 'rssi', title: 'Signal', sortKey: 'rssi', width: 105, default: false, render: (r) => signalCell(r.rssi) },
  { key: 'fwVersion', title: 'Firmware', sortKey: 'fwVersion', width: 92, default: true, render: (r) => dash(r.fwVersion) },
  { key: 'ip', title: 'IP', sortKey: 'ip', width: 115, default: false, render: (r) => h('span', { class: 'mono' }, dash(r.ip)) },
  { key: 'id', title: 'MAC', sortKey: 'id', width: 140, default: true, render: (r) => h('span', { class: 'mono' }, r.id) },
  { key: 'ssid', title: 'SSID', sortKey: 'ssid', width: 110, default: false, render: (r) => dash(r.ssid) },
  { key: 'createdAt', title: 'Registered', sortKey: 'createdAt', width: 105, default: false, render: (r) => h(RelativeTime, { at: r.createdAt }) },
];

export const DEFAULT_VISIBLE = FLEET_COLUMNS.filter((c) => c.default).map((c) => c.key);

export function toTableColumns(
  visible: string[],
  sort: { sort: DeviceSortKey; order: 'asc' | 'desc' },
): DataTableColumn<FleetRow>[] {
  return FLEET_COLUMNS.filter((c) => visible.includes(c.key)).map((c) => ({
    key: c.key,
    // a real button in sortable headers: Tab reaches it, Enter/Space click it, the click sorts
    title: c.sortKey ? () => h('button', { type: 'button', class: 'th-sort', 'aria-label': `Sort by ${c.title}` }, c.title) : c.title,
    width: c.width,
    sorter: c.sortKey ? true : undefined,
    sortOrder: c.sortKey && c.sortKey === sort.sort ? (sort.order === 'asc' ? 'ascend' : 'descend') : false,
    // a group header spans the row from the first column; these cells are never drawn for it
    render: (row: FleetRow) => (isGroupRow(row) ? '' : c.render(row)),
  }));
}
