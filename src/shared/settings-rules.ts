/**
 * Settings rules that span fields or need the whole settings (not just a patch): the core applies
 * them to the merged result before saving, the form to what is on screen. Also the contract of
 * the settings preview (which devices a change would move between states).
 */
import type { Settings } from './api';
import type { DeviceStatus } from './status';

/** Ports below 1024 need root (or CAP_NET_BIND_SERVICE) on Linux and macOS: the app runs unprivileged. */
export const MIN_DEVICE_PORT = 1024;
/** An mDNS instance name is one DNS label: at most 63 bytes of UTF-8. */
export const MDNS_NAME_MAX_BYTES = 63;

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Field path → message for every rule the whole settings break; empty when consistent. */
export function settingsConflicts(settings: Settings): Record<string, string> {
  const problems: Record<string, string> = {};
  const t = settings.thresholds;
  if (t.offlineFactor <= t.lateFactor) {
    problems['thresholds.offlineFactor'] = `must be more than the late factor (${t.lateFactor}): a device goes late before it goes offline`;
  }
  if (settings.registrationPolicy === 'key' && settings.enrollmentKey.trim() === '') {
    problems.enrollmentKey = 'set a key (or Generate one): with an empty key no device could register';
  }
  return problems;
}

/** Devices moving from one status to another. */
export interface StatusMove { from: DeviceStatus; to: DeviceStatus; count: number }

/** Answer of POST /api/settings/preview: what saving this patch would do now (nothing is saved). */
export interface SettingsPreview {
  /** devices whose status would change at once */
  changes: number;
  moves: StatusMove[];
}
