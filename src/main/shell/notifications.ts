import { Notification } from 'electron';
import type { FleetDelta } from '../../shared/api';
import type { Fleet } from '../core';
import type { PrefsFile } from './prefs';

/**
 * Desktop notifications for what needs the operator: a device went offline, or a new device waits
 * for approval. Each kind can be switched off; "pause" silences all without losing the choice.
 */
export function notifyFleetChanges(fleet: Fleet, prefs: PrefsFile, onClick: () => void): () => void {
  const show = (title: string, body: string): void => {
    if (!Notification.isSupported() || prefs.get().notificationsPaused) return;
    const n = new Notification({ title, body, silent: false });
    n.on('click', onClick);
    n.show();
  };

  // alert rules with a desktop channel: shown unless notifications are paused
  const stopAlerts = fleet.services.alerts.onDesktop(show);
  const stopEvents = fleet.services.deltas.subscribe((delta: FleetDelta) => {
    if (delta.type !== 'event') return;
    const { event } = delta;
    const who = event.deviceId ?? 'a device';
    if (event.kind === 'went_offline' && prefs.get().notifyOffline) show('Device offline', `${who}: ${event.message}`);
    if (event.kind === 'registered' && event.data?.['state'] === 'pending' && prefs.get().notifyPending) {
      show('Device waiting for approval', `${who} asked to join the fleet.`);
    }
  });
  return () => {
    stopAlerts();
    stopEvents();
  };
}
