/**
 * Reads of device and fleet history: charts from raw samples (1 h, 24 h) or hourly buckets (7 d,
 * 30 d) merged with the hour still in memory; the availability bar; the dashboard. Every read is
 * bounded by its range (at most 720 hourly rows per device) or by a small top-N.
 */
import {
  AVAILABILITY_CELL_MS, type AvailabilityCell, type AvailabilityState, type Dashboard, type DeviceAvailability,
  type DeviceHistory, type DeviceRank, type FirmwareShare, type FleetCounts, type FleetEvent, HISTORY_RANGE_MS,
  HISTORY_STEP_MS, type HistoryPoint, type HistoryRange,
} from '../../../../shared/api';
import type { BucketRow } from '../../db/repos/history-repo';
import { type DeviceRuntime, intervalOf } from '../../state/runtime';
import { type ServiceContext, deviceOrThrow } from '../context';
import { BUCKET_MS, type HistoryRecorder, bucketStart } from './history-recorder';

const TOP = 8;
const FIRMWARE_VERSIONS_SHOWN = 12;
const RECENT_CHANGES = 15;
const DAY_MS = 86_400_000;

const avg = (sum: number | null, n: number): number | null => (n === 0 || sum === null ? null : Math.round(sum / n));

function pointOf(b: BucketRow): HistoryPoint {
  return {
    at: b.at, checkins: b.checkins,
    rssiMin: b.rssiMin, rssiAvg: avg(b.rssiSum, b.rssiN), rssiMax: b.rssiMax,
    heapMin: b.heapMin, heapAvg: avg(b.heapSum, b.heapN), heapMax: b.heapMax,
    uptime: b.uptimeMax, gapMax: b.gapMax,
  };
}

/** Stored hours of a device plus its open hour (which may also exist on disk after a restart). */
function hoursOf(ctx: ServiceContext, recorder: HistoryRecorder, deviceId: string, from: number, to: number): { at: number; checkins: number; downMs: number }[] {
  const rows = ctx.repos.history.bucketSummaries(deviceId, from).filter((r) => r.at < to);
  const open = recorder.current(deviceId);
  if (open && open.at >= from) {
    const last = rows.at(-1);
    if (last && last.at === open.at) rows[rows.length - 1] = { at: open.at, checkins: last.checkins + open.checkins, downMs: last.downMs + open.downMs };
    else rows.push({ at: open.at, checkins: open.checkins, downMs: open.downMs });
  }
  return rows;
}

/**
 * Up time per hour from `from` to `now`: an hour with check-ins is up except its silences past the
 * late threshold; an hour without any is down; time before the device registered does not count.
 */
function upTimeline(ctx: ServiceContext, recorder: HistoryRecorder, device: DeviceRuntime, from: number, now: number): { at: number; ms: number; upMs: number }[] {
  const seen = new Map(hoursOf(ctx, recorder, device.id, from, now).map((h) => [h.at, h]));
  const lateMs = ctx.state.settings.thresholds.lateFactor * intervalOf(device, ctx.state.settings) * 1000;
  const hours: { at: number; ms: number; upMs: number }[] = [];
  for (let at = from; at < now; at += BUCKET_MS) {
    const ms = Math.max(0, Math.min(at + BUCKET_MS, now) - Math.max(at, device.createdAt));
    const hour = seen.get(at);
    let upMs = hour && hour.checkins > 0 ? Math.max(0, ms - hour.downMs) : 0;
    // the silence still going on (it is counted at the next check-in otherwise)
    if (upMs > 0 && at === bucketStart(now) && device.lastSeenAt !== null && now - device.lastSeenAt > lateMs) {
      upMs = Math.max(0, upMs - (now - Math.max(device.lastSeenAt, at)));
    }
    hours.push({ at, ms, upMs });
  }
  return hours;
}

function stateOf(ms: number, upMs: number): AvailabilityState {
  if (ms === 0) return 'none';
  if (upMs === 0) return 'down';
  return upMs >= ms * 0.999 ? 'up' : 'degraded';
}

function rank(devices: Iterable<DeviceRuntime>, value: (d: DeviceRuntime) => number | null): DeviceRank[] {
  const ranked: DeviceRank[] = [];
  for (const d of devices) {
    if (d.state !== 'active' || d.status === 'offline') continue;
    const v = value(d);
    if (v === null) continue;
    if (ranked.length < TOP || v < ranked[ranked.length - 1]!.value) {
      ranked.push({ id: d.id, name: d.name, status: d.status, value: v });
      ranked.sort((a, b) => a.value - b.value);
      if (ranked.length > TOP) ranked.pop();
    }
  }
  return ranked;
}

/** Firmware versions in use, the most common first; the tail folds into "other" so the list stays short. */
export function firmwareShares(devices: Iterable<DeviceRuntime>): FirmwareShare[] {
  const counts = new Map<string, number>();
  for (const d of devices) {
    if (d.state === 'blocked') continue;
    const version = d.fwVersion ?? 'unknown';
    counts.set(version, (counts.get(version) ?? 0) + 1);
  }
  const sorted = [...counts].map(([version, devices]) => ({ version, devices })).sort((a, b) => b.devices - a.devices || a.version.localeCompare(b.version));
  if (sorted.length <= FIRMWARE_VERSIONS_SHOWN) return sorted;
  const other = sorted.slice(FIRMWARE_VERSIONS_SHOWN - 1).reduce((n, s) => n + s.devices, 0);
  return [...sorted.slice(0, FIRMWARE_VERSIONS_SHOWN - 1), { version: 'other', devices: other }];
}

export function fleetCountsNow(devices: Iterable<DeviceRuntime>, at: number): FleetCounts {
  const counts: FleetCounts = { at, online: 0, late: 0, offline: 0, pending: 0, blocked: 0 };
  for (const d of devices) counts[d.status] += 1;
  return counts;
}

export function createHistoryService(ctx: ServiceContext, recorder: HistoryRecorder) {
  return {
    device(deviceId: string, range: HistoryRange): DeviceHistory {
      const device = deviceOrThrow(ctx, deviceId);
      const now = ctx.clock.now();
      const stepMs = HISTORY_STEP_MS[range];
      const from = now - HISTORY_RANGE_MS[range];
      const reboots = ctx.repos.history.reboots(device.id, from);
      if (range === '1h' || range === '24h') {
        const aligned = from - (from % stepMs);
        const points = ctx.repos.history.rawSteps(device.id, aligned, now + 1, stepMs);
        return { range, from: aligned, to: now, stepMs, source: 'raw', points, reboots };
      }
      const aligned = bucketStart(from);
      const rows = ctx.repos.history.buckets(device.id, aligned, now + 1);
      const open = recorder.current(device.id);
      if (open && !rows.some((r) => r.at === open.at)) rows.push(open);
      return { range, from: aligned, to: now, stepMs, source: 'buckets', points: rows.map(pointOf), reboots };
    },

    availability(deviceId: string, range: HistoryRange): DeviceAvailability {
      const device = deviceOrThrow(ctx, deviceId);
      const now = ctx.clock.now();
      const hours = upTimeline(ctx, recorder, device, bucketStart(now - 30 * DAY_MS), now);
      const share = (ms: number): number | null => {
        let total = 0;
        let up = 0;
        for (const h of hours) {
          if (h.at + BUCKET_MS <= now - ms) continue;
          total += h.ms;
          up += h.upMs;
        }
        return total === 0 ? null : up / total;
      };
      const cellMs = range === '1h' ? AVAILABILITY_CELL_MS['24h'] : AVAILABILITY_CELL_MS[range];
      const span = range === '1h' ? HISTORY_RANGE_MS['24h'] : HISTORY_RANGE_MS[range];
      const lastCell = now - (now % cellMs);
      const firstCell = lastCell - span + cellMs;
      const cells: AvailabilityCell[] = [];
      for (let at = firstCell; at <= lastCell; at += cellMs) {
        let ms = 0;
        let upMs = 0;
        for (const h of hours) {
          if (h.at < at || h.at >= at + cellMs) continue;
          ms += h.ms;
          upMs += h.upMs;
        }
        cells.push({ at, ms: cellMs, upMs, state: stateOf(ms, upMs) });
      }
      return { range: range === '1h' ? '24h' : range, cells, uptime: { '24h': share(DAY_MS), '7d': share(7 * DAY_MS), '30d': share(30 * DAY_MS) } };
    },

    dashboard(range: HistoryRange): Dashboard {
      const now = ctx.clock.now();
      const from = now - HISTORY_RANGE_MS[range];
      const devices = ctx.state.devices;
      const current = fleetCountsNow(devices.values(), now);
      const series = ctx.repos.history.fleetCounts(from, HISTORY_STEP_MS[range]);
      series.push(current);
      const byHour = new Map<number, FirmwareShare[]>();
      for (const row of ctx.repos.history.firmwareShares(from)) {
        const list = byHour.get(row.at) ?? [];
        list.push({ version: row.version, devices: row.devices });
        byHour.set(row.at, list);
      }
      const recentChanges: FleetEvent[] = ctx.repos.events.list({ kinds: ['came_online', 'went_late', 'went_offline'], limit: RECENT_CHANGES });
      const mostReboots = ctx.repos.history.mostReboots(from, TOP).map((r) => {
        const d = devices.get(r.id);
        return { id: r.id, name: d?.name ?? '', status: d?.status ?? 'deleted', value: r.value };
      });
      return {
        range, from, now: current, series,
        firmware: firmwareShares(devices.values()),
        firmwareSeries: [...byHour].map(([at, versions]) => ({ at, versions })),
        recentChanges,
        weakestSignal: rank(devices.values(), (d) => d.rssi),
        lowestHeap: rank(devices.values(), (d) => d.heap),
        mostReboots,
      };
    },

    /** The periodic work: closes finished hours; every `fleetEveryMs`, a fleet sample; hourly, firmware shares. */
    sampler(fleetEveryMs = 300_000) {
      let lastFleet = Number.NEGATIVE_INFINITY;
      let lastFirmwareHour = Number.NEGATIVE_INFINITY;
      return (): void => {
        const now = ctx.clock.now();
        recorder.closeStale(now);
        if (now - lastFleet >= fleetEveryMs) {
          lastFleet = now;
          const counts = fleetCountsNow(ctx.state.devices.values(), now);
          ctx.writeBehind.later(() => ctx.repos.history.insertFleetCounts(counts));
        }
        const hour = bucketStart(now);
        if (hour !== lastFirmwareHour) {
          lastFirmwareHour = hour;
          const shares = firmwareShares(ctx.state.devices.values());
          ctx.writeBehind.later(() => ctx.repos.history.insertFirmwareShares(hour, shares));
        }
      };
    },
  };
}
export type HistoryService = ReturnType<typeof createHistoryService>;
