/** Where devices reach this app (addresses, port, mDNS) and what needs a restart. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ServerInfo } from '../../../shared/api';
import { api } from '../api/client';

export const useServerStore = defineStore('server', () => {
  const info = ref<ServerInfo | null>(null);

  async function load(): Promise<void> {
    info.value = await api.server.info();
  }

  return { info, load };
});
