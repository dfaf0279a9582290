/** Where devices reach this app (addresses, port, mDNS) and what needs a restart. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SeenDevice, ServerInfo } from '../../../shared/api';
import { api } from '../api/client';

/** One interface the app may advertise on, its addresses gathered (the API lists one per address). */
export interface InterfaceChoice { name: string; addresses: string[]; advertisedByDefault: boolean }

export const useServerStore = defineStore('server', () => {
  const info = ref<ServerInfo | null>(null);
  const seen = ref<SeenDevice[]>([]);

  /** The "Advertise on" choices, by interface name, in the order the core lists them. */
  const interfaceChoices = computed((): InterfaceChoice[] => {
    const byName = new Map<string, InterfaceChoice>();
    for (const a of info.value?.mdns.available ?? []) {
      const choice = byName.get(a.name) ?? { name: a.name, addresses: [], advertisedByDefault: false };
      choice.addresses.push(a.address);
      choice.advertisedByDefault ||= a.advertisedByDefault;
      byName.set(a.name, choice);
    }
    return [...byName.values()];
  });

  async function load(): Promise<void> {
    info.value = await api.server.info();
  }

  async function loadSeen(): Promise<void> {
    seen.value = (await api.server.seen()).sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  return { info, seen, interfaceChoices, load, loadSeen };
});
