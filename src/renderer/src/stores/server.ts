/** Where devices reach this app (addresses, port, mDNS) and what needs a restart. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SeenDevice, ServerInfo } from '../../../shared/api';
import { api } from '../api/client';

export const useServerStore = defineStore('server', () => {
  const info = ref<ServerInfo | null>(null);
  const seen = ref<SeenDevice[]>([]);

  async function load(): Promise<void> {
    info.value = await api.server.info();
  }

  async function loadSeen(): Promise<void> {
    seen.value = (await api.server.seen()).sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  return { info, seen, load, loadSeen };
});
