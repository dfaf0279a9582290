/** Settings of the core; validated with the same schema the server applies. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FleetDelta, Settings, SettingsPatch } from '../../../shared/api';
import { SettingsPatchSchema } from '../../../shared/api';
import { settingsConflicts, type SettingsPreview } from '../../../shared/settings-rules';
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

  /**
   * Field → message for everything the core would refuse: the schema on the changed fields, then
   * the rules across fields on the whole form (an offline factor below the late one, …).
   */
  function validate(patch: SettingsPatch, whole?: Settings): Record<string, string> {
    const result = SettingsPatchSchema.safeParse(patch);
    const errors: Record<string, string> = {};
    if (!result.success) for (const issue of result.error.issues) errors[issue.path.join('.')] ??= issue.message;
    const merged = whole ?? (settings.value ? ({ ...settings.value, ...patch }) : null);
    if (merged) for (const [path, message] of Object.entries(settingsConflicts(merged))) errors[path] ??= message;
    return errors;
  }

  /** What saving would do to device statuses right now (the core computes it over the whole fleet). */
  function preview(patch: SettingsPatch): Promise<SettingsPreview> {
    return api.settings.preview(patch);
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

  return { settings, load, validate, preview, absentInterfaces, save, applyDeltas, wire };
});
