/** Database maintenance (the full integrity check, polled while it runs) and signing out. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { IntegrityReport } from '../../../shared/api/maintenance';
import { api } from '../api/client';

const POLL_MS = 500;

export const useMaintenanceStore = defineStore('maintenance', () => {
  const integrity = ref<IntegrityReport | null>(null);
  let polling: ReturnType<typeof setTimeout> | null = null;

  const poll = (): void => {
    polling = setTimeout(() => {
      polling = null;
      void api.maintenance.integrity().then(follow, () => poll());
    }, POLL_MS);
  };
  const follow = (report: IntegrityReport): void => {
    integrity.value = report;
    if (report.state === 'running' && !polling) poll();
  };

  async function load(): Promise<void> {
    follow(await api.maintenance.integrity());
  }

  async function checkIntegrity(): Promise<void> {
    follow(await api.maintenance.checkIntegrity());
  }

  async function logout(): Promise<void> {
    await api.session.logout();
  }

  function stop(): void {
    if (polling) clearTimeout(polling);
    polling = null;
  }

  return { integrity, load, checkIntegrity, logout, stop };
});
