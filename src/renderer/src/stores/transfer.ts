/** Export links, device import (preview, then import), pre-registered devices, replacing, the original database. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { DeviceSummary } from '../../../shared/api';
import type { ImportReport, PreregisteredDevice, ReplaceResult, SeedReport } from '../../../shared/api/transfer';
import { api } from '../api/client';
import { transferApi } from '../api/transfer';
import { useFleetStore } from './fleet';

export const useTransferStore = defineStore('transfer', () => {
  const preregistered = ref<PreregisteredDevice[]>([]);

  /** Download URL of the devices the fleet list shows now (its filter), or of every device. */
  function exportUrl(format: 'csv' | 'json', filtered: boolean): string {
    const f = useFleetStore().filter;
    return transferApi.exportUrl(format, filtered ? { q: f.q || undefined, status: f.status?.length ? f.status : undefined, profileId: f.profileId, tag: f.tag } : {});
  }

  async function loadPreregistered(): Promise<void> {
    preregistered.value = await transferApi.preregistered();
  }

  const previewImport = (text: string): Promise<ImportReport> => transferApi.importDevices(text, true);

  async function runImport(text: string): Promise<ImportReport> {
    const report = await transferApi.importDevices(text, false);
    await loadPreregistered();
    void useFleetStore().load().catch(() => undefined);
    return report;
  }

  async function removePreregistration(id: string): Promise<void> {
    await transferApi.removePreregistration(id);
    await loadPreregistered();
  }

  /** Devices that may succeed a dead one: those waiting in pending (newest first) and the pre-registered. */
  async function loadReplacementCandidates(): Promise<DeviceSummary[]> {
    const [list] = await Promise.all([api.devices.list({ status: ['pending'], sort: 'createdAt', order: 'desc', limit: 500 }), loadPreregistered()]);
    return list.items;
  }

  const replace = (id: string, withId: string): Promise<ReplaceResult> => transferApi.replace(id, withId);
  const previewSeed = (file: Blob): Promise<SeedReport> => transferApi.importSeed(file, true);
  const runSeed = (file: Blob): Promise<SeedReport> => transferApi.importSeed(file, false);

  return { preregistered, exportUrl, historyUrl: transferApi.historyUrl, loadPreregistered, loadReplacementCandidates, previewImport, runImport, removePreregistration, replace, previewSeed, runSeed };
});
