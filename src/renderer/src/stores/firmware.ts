/** Firmware images: upload with progress, list, assign, delete. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FirmwareSummary, FleetDelta } from '../../../shared/api';
import { api } from '../api/client';
import { uploadFirmware, type UploadBody, type UploadMeta } from '../api/upload';
import { useConnectionStore } from './connection';

export const useFirmwareStore = defineStore('firmware', () => {
  const items = ref<FirmwareSummary[]>([]);
  const loaded = ref(false);
  /** 0..1 while an upload runs, null otherwise */
  const uploadProgress = ref<number | null>(null);

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
  }

  async function assign(id: number, target: { deviceIds?: string[]; profileId?: number }): Promise<number> {
    return (await api.firmware.assign(id, target)).affected;
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    if (loaded.value && deltas.some((d) => d.type === 'firmware')) void load().catch(() => undefined);
  }

  let wired = false;
  function wire(): void {
    if (wired) return;
    wired = true;
    useConnectionStore().onDeltas(applyDeltas);
  }

  return { items, loaded, uploadProgress, load, upload, remove, assign, applyDeltas, wire };
});
