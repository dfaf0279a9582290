/** Profiles (device types / purposes) and their defaults. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ConfigRevision, FleetDelta, Profile } from '../../../shared/api';
import type { ConfigObject } from '../../../shared/config';
import { api } from '../api/client';
import { liveWiring } from './live';

export const useProfilesStore = defineStore('profiles', () => {
  const items = ref<Profile[]>([]);
  const loaded = ref(false);
  const history = ref<ConfigRevision[]>([]);

  const options = computed(() => items.value.map((p) => ({ label: p.name, value: p.id })));
  const byId = computed(() => new Map(items.value.map((p) => [p.id, p])));

  async function load(): Promise<void> {
    items.value = await api.profiles.list();
    loaded.value = true;
  }

  function upsert(profile: Profile): void {
    const others = items.value.filter((p) => p.id !== profile.id);
    items.value = [...others, profile].sort((a, b) => a.name.localeCompare(b.name));
  }

  async function create(name: string, description = ''): Promise<Profile> {
    const profile = await api.profiles.create({ name, description });
    upsert(profile);
    return profile;
  }

  async function rename(id: number, name: string, description?: string): Promise<Profile> {
    const profile = await api.profiles.patch(id, description === undefined ? { name } : { name, description });
    upsert(profile);
    return profile;
  }

  async function remove(id: number): Promise<number> {
    const { devicesDetached } = await api.profiles.remove(id);
    items.value = items.value.filter((p) => p.id !== id);
    return devicesDetached;
  }

  async function saveDefaults(id: number, defaults: ConfigObject): Promise<Profile> {
    const profile = await api.profiles.putConfig(id, defaults);
    upsert(profile);
    await loadHistory(id);
    return profile;
  }

  async function loadHistory(id: number): Promise<void> {
    history.value = await api.profiles.history(id);
  }

  async function restore(revisionId: number, profileId: number): Promise<void> {
    await api.revisions.restore(revisionId);
    upsert(await api.profiles.get(profileId));
    await loadHistory(profileId);
  }

  let refetchTimer: ReturnType<typeof setTimeout> | null = null;
  function applyDeltas(deltas: FleetDelta[]): void {
    if (!deltas.some((d) => d.type === 'profile')) return;
    if (refetchTimer) return;
    refetchTimer = setTimeout(() => {
      refetchTimer = null;
      void load().catch(() => undefined);
    }, 250);
  }

  const wire = liveWiring(applyDeltas, () => void load().catch(() => undefined));

  return { items, loaded, history, options, byId, exportUrl: api.profiles.exportUrl, load, create, rename, remove, saveDefaults, loadHistory, restore, applyDeltas, wire };
});
