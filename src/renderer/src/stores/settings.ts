/** Settings of the core; validated with the same schema the server applies. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FleetDelta, Settings, SettingsPatch } from '../../../shared/api';
import { SettingsPatchSchema } from '../../../shared/api';
import { api } from '../api/client';
import { useServerStore } from './server';
import { liveWiring } from './live';

/** Settings that only take effect when the app restarts (mDNS name and interfaces apply live). */
export const RESTART_SETTINGS: ReadonlyArray<keyof Settings> = ['devicePort'];

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null);

  async function load(): Promise<void> {
    settings.value = await api.settings.get();
  }

  /** Field → message for everything the schema refuses; empty when valid. */
  function validate(patch: SettingsPatch): Record<string, string> {
    const result = SettingsPatchSchema.safeParse(patch);
    if (result.success) return {};
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) errors[issue.path.join('.')] ??= issue.message;
    return errors;
  }

  async function save(patch: SettingsPatch): Promise<Settings> {
    settings.value = await api.settings.patch(patch);
    await useServerStore().load().catch(() => undefined);
    return settings.value;
  }

  /**
   * Names in an "Advertise on" choice that this computer does not have right now: allowed (an
   * adapter may be unplugged) but worth a warning, since nothing is advertised on them.
   */
  function absentInterfaces(names: string[]): string[] {
    const present = new Set(useServerStore().interfaceChoices.map((c) => c.name));
    return names.filter((n) => !present.has(n));
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    if (settings.value && deltas.some((d) => d.type === 'settings')) void load().catch(() => undefined);
  }

  const wire = liveWiring(applyDeltas);

  return { settings, load, validate, absentInterfaces, save, applyDeltas, wire };
});
