/**
 * Where devices reach this app (addresses, port, mDNS), what needs a restart, and the devices seen
 * advertising on the LAN, kept live from the `server`, `settings` and device deltas.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { FleetDelta, SeenDevice, ServerInfo } from '../../../shared/api';
import { api } from '../api/client';
import { ApiError } from '../api/http';
import { liveWiring } from './live';

/** One interface the app may advertise on, its addresses gathered (the API lists one per address). */
export interface InterfaceChoice { name: string; addresses: string[]; advertisedByDefault: boolean }

export const useServerStore = defineStore('server', () => {
  const info = ref<ServerInfo | null>(null);
  const seen = ref<SeenDevice[]>([]);
  const seenLoaded = ref(false);
  /** MACs of seen devices that are in the fleet */
  const inFleet = ref<ReadonlySet<string>>(new Set());
  /** MACs whose membership is known: looked up once, then kept current by device deltas */
  const checked = new Set<string>();

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
    seenLoaded.value = true;
    await checkMembership();
  }

  function setInFleet(mac: string, member: boolean): void {
    if (inFleet.value.has(mac) === member) return;
    const next = new Set(inFleet.value);
    if (member) next.add(mac);
    else next.delete(mac);
    inFleet.value = next;
  }

  /** Looks up the seen MACs not checked yet; a 404 means "not in the fleet", other failures are retried next time. */
  async function checkMembership(): Promise<void> {
    const fresh = [...new Set(seen.value.flatMap((s) => (s.mac && !checked.has(s.mac) ? [s.mac] : [])))];
    for (const mac of fresh) checked.add(mac);
    await Promise.all(fresh.map(async (mac) => {
      try {
        await api.devices.get(mac);
        setInFleet(mac, true);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) setInFleet(mac, false);
        else checked.delete(mac);
      }
    }));
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    // only sightings are tracked: the fleet itself may be far larger than what is seen on the LAN
    const seenMacs = new Set(seen.value.flatMap((s) => (s.mac ? [s.mac] : [])));
    let infoStale = false;
    let seenStale = false;
    for (const delta of deltas) {
      if (delta.type === 'server') {
        infoStale = true;
        seenStale = true;
      } else if (delta.type === 'settings') {
        // the advertisement follows the settings live: show where it runs now
        infoStale = true;
      } else if (delta.type === 'device' && seenMacs.has(delta.device.id)) {
        checked.add(delta.device.id);
        setInFleet(delta.device.id, true);
      } else if (delta.type === 'device_removed' && seenMacs.has(delta.id)) {
        checked.add(delta.id);
        setInFleet(delta.id, false);
      }
    }
    if (infoStale && info.value) void load().catch(() => undefined);
    if (seenStale && seenLoaded.value) void loadSeen().catch(() => undefined);
  }

  /** Deltas missed while disconnected may have added or removed devices: check every MAC again. */
  function reloadAfterReconnect(): void {
    checked.clear();
    if (info.value) void load().catch(() => undefined);
    if (seenLoaded.value) void loadSeen().catch(() => undefined);
  }

  const wire = liveWiring(applyDeltas, reloadAfterReconnect);

  return { info, seen, inFleet, interfaceChoices, load, loadSeen, checkMembership, applyDeltas, wire };
});
