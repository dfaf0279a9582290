/**
 * The command palette: whether it is open, devices found by name/MAC/IP (asked of the server, so
 * the whole fleet is searched, not only the rows loaded), and a bulk action it asked the fleet
 * view to open.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { DeviceSummary } from '../../../shared/api';
import { api } from '../api/client';
import { isAbort } from '../api/http';
import type { BulkOp } from './selection';

export const PALETTE_DEVICES = 8;

export const usePaletteStore = defineStore('palette', () => {
  const open = ref(false);
  const devices = shallowRef<DeviceSummary[]>([]);
  /** the query `devices` answers (lets the list show "searching…" until it matches) */
  const answered = ref<string | null>(null);
  const requestedBulk = ref<BulkOp['action'] | null>(null);
  let controller: AbortController | null = null;

  async function searchDevices(q: string): Promise<void> {
    controller?.abort();
    controller = new AbortController();
    try {
      const page = await api.devices.list({ q: q.trim() || undefined, sort: 'name', order: 'asc', limit: PALETTE_DEVICES }, controller.signal);
      devices.value = page.items;
      answered.value = q;
    } catch (e) {
      if (!isAbort(e)) {
        devices.value = [];
        answered.value = q;
      }
    }
  }

  return { open, devices, answered, requestedBulk, searchDevices };
});
