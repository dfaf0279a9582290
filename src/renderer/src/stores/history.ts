/**
 * The charts of the device open in the detail view: its history over the chosen range and its
 * availability bar. Kept live from deltas: a check-in's readings fold into the newest point of
 * the raw ranges, an uptime that went down marks a reboot, a status change reloads the bar.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DeviceSummary, FleetDelta } from '../../../shared/api';
import type { DeviceAvailability, DeviceHistory, HistoryPoint, HistoryRange } from '../../../shared/api/telemetry';
import { api } from '../api/client';
import { messageOf } from '../api/http';
import { liveWiring } from './live';

/** Folds one reading into the point of its step (or a new point), keeping min/avg/max honest enough for a live view. */
export function foldReading(history: DeviceHistory, device: Pick<DeviceSummary, 'rssi' | 'heap' | 'uptime' | 'lastSeenAt'>): DeviceHistory {
  if (device.lastSeenAt === null || device.lastSeenAt < history.from) return history;
  const at = device.lastSeenAt - ((device.lastSeenAt - history.from) % history.stepMs);
  const points = history.points.filter((p) => p.at >= device.lastSeenAt! - (history.to - history.from));
  const last = points.at(-1);
  const mix = (avg: number | null, n: number, v: number | null) => (v === null ? avg : avg === null ? v : Math.round((avg * n + v) / (n + 1)));
  if (last && last.at === at) {
    const n = last.checkins;
    points[points.length - 1] = {
      ...last, checkins: n + 1,
      rssiMin: minOf(last.rssiMin, device.rssi), rssiAvg: mix(last.rssiAvg, n, device.rssi), rssiMax: maxOf(last.rssiMax, device.rssi),
      heapMin: minOf(last.heapMin, device.heap), heapAvg: mix(last.heapAvg, n, device.heap), heapMax: maxOf(last.heapMax, device.heap),
      uptime: maxOf(last.uptime, device.uptime),
    };
  } else if (!last || last.at < at) {
    const point: HistoryPoint = {
      at, checkins: 1, rssiMin: device.rssi, rssiAvg: device.rssi, rssiMax: device.rssi,
      heapMin: device.heap, heapAvg: device.heap, heapMax: device.heap, uptime: device.uptime, gapMax: 0,
    };
    points.push(point);
  }
  return { ...history, to: Math.max(history.to, device.lastSeenAt), points };
}
const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

export const useHistoryStore = defineStore('history', () => {
  const deviceId = ref<string | null>(null);
  const range = ref<HistoryRange>('24h');
  const availabilityRange = ref<HistoryRange>('24h');
  const history = ref<DeviceHistory | null>(null);
  const availability = ref<DeviceAvailability | null>(null);
  const error = ref<string | null>(null);
  let lastUptime: number | null = null;

  async function load(): Promise<void> {
    const id = deviceId.value;
    if (!id) return;
    try {
      const [h, a] = await Promise.all([api.history.device(id, range.value), api.history.availability(id, availabilityRange.value)]);
      if (deviceId.value !== id) return;
      history.value = h;
      availability.value = a;
      error.value = null;
    } catch (e) {
      error.value = messageOf(e);
    }
  }

  function open(id: string, uptime: number | null): Promise<void> {
    if (deviceId.value !== id) {
      history.value = null;
      availability.value = null;
    }
    deviceId.value = id;
    lastUptime = uptime;
    return load();
  }

  function setRange(next: HistoryRange): Promise<void> {
    range.value = next;
    return load();
  }

  async function setAvailabilityRange(next: HistoryRange): Promise<void> {
    availabilityRange.value = next;
    const id = deviceId.value;
    if (!id) return;
    try {
      availability.value = await api.history.availability(id, next);
    } catch (e) {
      error.value = messageOf(e);
    }
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    const id = deviceId.value;
    if (!id) return;
    let reloadBar = false;
    for (const delta of deltas) {
      if (delta.type === 'device' && delta.device.id === id) {
        const d = delta.device;
        if (history.value) {
          if (history.value.source === 'raw') history.value = foldReading(history.value, d);
          if (d.uptime !== null && lastUptime !== null && d.uptime < lastUptime && d.lastSeenAt !== null) {
            history.value = { ...history.value, reboots: [...history.value.reboots, { at: d.lastSeenAt - d.uptime * 1000, uptimeBefore: lastUptime, reason: null }] };
          }
        }
        if (d.uptime !== null) lastUptime = d.uptime;
      } else if (delta.type === 'status' && delta.id === id) {
        reloadBar = true;
      }
    }
    if (reloadBar) void setAvailabilityRange(availabilityRange.value);
  }

  function close(): void {
    deviceId.value = null;
  }

  const wire = liveWiring(applyDeltas, () => void load());
  return { deviceId, range, availabilityRange, history, availability, error, open, close, setRange, setAvailabilityRange, applyDeltas, wire };
});
