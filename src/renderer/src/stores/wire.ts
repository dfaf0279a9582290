/** Connects every domain store to the delta stream once, before the stream opens. */
import { useAdmissionStore } from './admission';
import { useAlertsStore } from './alerts';
import { useDashboardStore } from './dashboard';
import { useDeviceStore } from './device';
import { useEventsStore } from './events';
import { useFirmwareStore } from './firmware';
import { useFleetStore } from './fleet';
import { useHistoryStore } from './history';
import { useProfilesStore } from './profiles';
import { useRolloutsStore } from './rollouts';
import { useServerStore } from './server';
import { useSettingsStore } from './settings';

export function wireStores(): void {
  useFleetStore().wire();
  useDeviceStore().wire();
  useProfilesStore().wire();
  useFirmwareStore().wire();
  useEventsStore().wire();
  useSettingsStore().wire();
  useAdmissionStore().wire();
  useServerStore().wire();
  useAlertsStore().wire();
  useRolloutsStore().wire();
  useHistoryStore().wire();
  useDashboardStore().wire();
}
