/** Firmware images: upload with progress, list, assign, delete, and the rollout of each to its devices. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FirmwareDeviceState, FirmwareSummary, FleetDelta } from '../../../shared/api';
import { api } from '../api/client';
import { uploadFirmware, type UploadBody, type UploadMeta } from '../api/upload';
import { liveWiring } from './live';

/** Deltas after which a rollout may read differently: OTA state rides on device deltas. */
const ROLLOUT_DELTAS = new Set<FleetDelta['type']>(['device', 'device_removed', 'profile', 'firmware']);

export const useFirmwareStore = defineStore('firmware', () => {
  const items = ref<FirmwareSummary[]>([]);
  const loaded = ref(false);
  /** 0..1 while an upload runs, null otherwise */
  const uploadProgress = ref<number | null>(null);
  /** image id → its devices and their update state, for the images someone is looking at */
  const rollouts = ref(new Map<number, FirmwareDeviceState[]>());
  const watched = new Map<number, number>(); // image id → number of watchers
  const inFlight = new Map<number, Promise<void>>();
  const stale = new Set<number>();

  async function load(): Promise<void> {
    items.value = (await api.firmware.list()).sort((a, b) => b.createdAt - a.createdAt);
    loaded.value = true;
  }

  async function upload(meta: UploadMeta, body: UploadBody): Promise<FirmwareSummary> {
    uploadProgress.value = 0;
    try {
      const image = await uploadFirmware(meta, body, (fraction) => (uploadProgress.value = fraction));
      items.value = [image, ...items.value.filter((f) => f.id !== image.id)];
      return image;
    } finally {
      uploadProgress.value = null;
    }
  }

  async function remove(id: number): Promise<void> {
    await api.firmware.remove(id);
    items.value = items.value.filter((f) => f.id !== id);
    rollouts.value.delete(id);
  }

  async function unassign(target: { deviceIds?: string[]; profileId?: number }): Promise<number> {
    const affected = (await api.firmware.unassign(target)).affected;
    await refreshWatched();
    return affected;
  }

  /** How many devices were assigned, and the legacy-protocol ones named but skipped (they take no updates). */
  async function assign(id: number, target: { deviceIds?: string[]; profileId?: number }): Promise<{ affected: number; skippedLegacy: string[] }> {
    const result = await api.firmware.assign(id, target);
    await refreshWatched();
    return result;
  }

  /**
   * Fetches one image's rollout. A request already running is not doubled: the image is marked
   * stale and fetched once more when it ends, so bursts of deltas cost at most two requests.
   */
  function loadRollout(id: number): Promise<void> {
    const running = inFlight.get(id);
    if (running) {
      stale.add(id);
      return running;
    }
    const request = api.firmware.devices(id)
      .then((devices) => {
        if (watched.has(id)) rollouts.value.set(id, devices);
      })
      .finally(() => {
        inFlight.delete(id);
        if (stale.delete(id) && watched.has(id)) void loadRollout(id).catch(() => undefined);
      });
    inFlight.set(id, request);
    return request;
  }

  /** Keeps the image's rollout loaded and live until unwatchRollout (one call per watcher). */
  function watchRollout(id: number): Promise<void> {
    watched.set(id, (watched.get(id) ?? 0) + 1);
    return loadRollout(id);
  }

  function unwatchRollout(id: number): void {
    const left = (watched.get(id) ?? 1) - 1;
    if (left > 0) return void watched.set(id, left);
    watched.delete(id);
    rollouts.value.delete(id);
  }

  async function refreshWatched(): Promise<void> {
    await Promise.all([...watched.keys()].map((id) => loadRollout(id).catch(() => undefined)));
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    if (loaded.value && deltas.some((d) => d.type === 'firmware')) void load().catch(() => undefined);
    if (watched.size > 0 && deltas.some((d) => ROLLOUT_DELTAS.has(d.type))) void refreshWatched();
  }

  const wire = liveWiring(applyDeltas);

  return {
    items, loaded, uploadProgress, rollouts, load, upload, remove, assign, unassign,
    watchRollout, unwatchRollout, loadRollout, applyDeltas, wire,
  };
});
