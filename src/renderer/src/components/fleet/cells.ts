/**
 * Table cells as plain vnodes: a virtual table mounts new rows on every scroll frame, and
 * component instances per cell (NIcon, NTag, …) made scrolling 10 000 rows visibly slower
 * (measured by tests/e2e/perf/fleet-10k.ts). Only the ticking "last seen" stays a component.
 * The look matches StatusBadge / SignalBars / SyncBadge used elsewhere; styles in FleetTable.vue.
 */
import { h, type Component, type VNode } from 'vue';
import { BanOutline, CheckmarkCircle, CheckmarkDoneOutline, CloseCircleOutline, HourglassOutline, SyncOutline, TimeOutline } from '@vicons/ionicons5';
import type { DeviceStatus } from '../../../../shared/status';
import { signalBars, STATUS_LABEL } from '../../composables/format';

const STATUS_ICON: Record<DeviceStatus, Component> = {
  online: CheckmarkCircle, late: TimeOutline, offline: CloseCircleOutline, pending: HourglassOutline, blocked: BanOutline,
};

const icon = (component: Component) => h('span', { class: 'cell-icon', 'aria-hidden': 'true' }, [h(component)]);

export function statusCell(status: DeviceStatus): VNode {
  return h('span', { class: ['status', status], 'data-status': status }, [icon(STATUS_ICON[status] ?? CloseCircleOutline), STATUS_LABEL[status] ?? status]);
}

export function signalCell(rssi: number | null): VNode {
  const bars = signalBars(rssi);
  const rects = [1, 2, 3, 4].map((i) =>
    h('rect', { x: (i - 1) * 4, y: 12 - i * 3, width: 3, height: i * 3, rx: 0.5, class: i <= bars ? 'on' : 'off' }));
  return h('span', { class: 'signal', title: rssi === null ? 'no signal reported' : `${rssi} dBm` }, [
    h('svg', { width: 16, height: 12, viewBox: '0 0 16 12', 'aria-hidden': 'true' }, rects),
    rssi === null ? '—' : `${rssi} dBm`,
  ]);
}

export function syncCell(inSync: boolean, cfgsn: number, reported: number | null): VNode {
  return inSync
    ? h('span', { class: 'sync ok', title: `device applied cfgsn ${cfgsn}`, 'data-sync': 'in-sync' }, [icon(CheckmarkDoneOutline), 'in sync ', h('span', { class: 'sn' }, `#${cfgsn}`)])
    : h('span', { class: 'sync pending', title: `app wants cfgsn ${cfgsn}, device reports ${reported ?? 'none'}`, 'data-sync': 'pending' },
      [icon(SyncOutline), 'syncing ', h('span', { class: 'sn' }, `${reported ?? 'none'} → ${cfgsn}`)]);
}

/** The first tag and "+N" for the rest (every tag is in the cell's tooltip): two rarely fit the column. */
export function tagsCell(tags: string[]): VNode {
  const shown = tags.slice(0, 1).map((t) => h('span', { class: 'tag', key: t }, t));
  const rest = tags.length - shown.length;
  if (rest > 0) shown.push(h('span', { class: 'tag more', key: '+more', 'data-more': rest }, `+${rest}`));
  return h('span', { class: 'cell-tags', title: tags.length ? tags.join(', ') : undefined }, shown);
}
