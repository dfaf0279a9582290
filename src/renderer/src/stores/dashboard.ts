/**
 * The fleet dashboard: status over time, recent changes, weakest devices, firmware in use. Live:
 * status changes and liveness deltas schedule a reload, at most one every few seconds, so a fleet
 * of 10 000 devices checking in does not turn into a reload per delta.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FleetDelta } from '../../../shared/api';
import type { Dashboard, HistoryRange } from '../../../shared/api/telemetry';
import { api } from '../api/client';
import { messageOf } from '../api/http';
import { liveWiring } from './live';

const RELOAD_AT_MOST_EVERY_MS = 5000;

export const useDashboardStore = defineStore('dashboard', () => {
  const range = ref<HistoryRange>('24h');
  const data = ref<Dashboard | null>(null);
  const error = ref<string | null>(null);
  const active = ref(false);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastLoad = 0;

  async function load(): Promise<void> {
    lastLoad = Date.now();
    try {
      data.value = await api.history.dashboard(range.value);
      error.value = null;
    } catch (e) {
      error.value = messageOf(e);
    }
  }

  function open(): Promise<void> {
    active.value = true;
    return load();
  }
  function close(): void {
    active.value = false;
    if (timer) clearTimeout(timer);
    timer = null;
  }
  function setRange(next: HistoryRange): Promise<void> {
    range.value = next;
    return load();
  }

  function scheduleReload(): void {
    if (!active.value || timer) return;
    const wait = Math.max(0, lastLoad + RELOAD_AT_MOST_EVERY_MS - Date.now());
    timer = setTimeout(() => {
      timer = null;
      if (active.value) void load();
    }, wait);
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    if (deltas.some((d) => d.type === 'status' || d.type === 'device' || d.type === 'device_removed' || d.type === 'firmware')) scheduleReload();
  }

  const wire = liveWiring(applyDeltas, () => { if (active.value) void load(); });
  return { range, data, error, open, close, setRange, applyDeltas, wire };
});
