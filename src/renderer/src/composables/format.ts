/** Display helpers shared by the views. */
import dayjs from 'dayjs';
import type { DeviceStatus } from '../../../shared/status';

export function absoluteTime(at: number | null | undefined): string {
  return at ? dayjs(at).format('YYYY-MM-DD HH:mm:ss') : 'never';
}

/** Compact relative time ("12 s ago", "3 min ago"); stable width so rows do not jump. */
export function relativeTime(at: number | null | undefined, now: number): string {
  if (!at) return 'never';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(2)} MiB`;
}

/** "20 s", "3 min 20 s", "2 h 5 min", "3 d 4 h": two units at most, no leading zero unit. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const total = Math.max(0, Math.floor(seconds));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  return m ? `${m} min ${s} s` : `${s} s`;
}

/**
 * Uptime now, from the uptime reported at the last check-in: a device that is online kept
 * running since. For a device not heard from in time it is the last known value.
 */
export function uptimeNow(device: { uptime: number | null; lastSeenAt: number | null; status: DeviceStatus }, now: number): number | null {
  if (device.uptime === null) return null;
  if (device.status !== 'online' || device.lastSeenAt === null) return device.uptime;
  return device.uptime + Math.max(0, Math.floor((now - device.lastSeenAt) / 1000));
}

/** A device's OTA state as one phrase, with the version it is about when known. */
export function firmwareUpdateLabel(state: 'none' | 'offered' | 'downloading' | 'updated' | 'failed', version: string | null): string {
  const to = version ? ` to ${version}` : '';
  switch (state) {
    case 'offered': return `update${to} offered`;
    case 'downloading': return version ? `downloading ${version}` : 'downloading the update';
    case 'updated': return version ? `updated${to}` : 'update installed';
    case 'failed': return `update${to} failed`;
    default: return 'no update';
  }
}

/** Status words: "pending" alone would clash with a config waiting to be applied. */
export const STATUS_LABEL: Record<DeviceStatus, string> = {
  online: 'online', late: 'late', offline: 'offline', pending: 'awaiting approval', blocked: 'blocked',
};

export const STATUS_ORDER: DeviceStatus[] = ['online', 'late', 'offline', 'pending', 'blocked'];

/** Signal quality bars (0–4) from RSSI in dBm. */
export function signalBars(rssi: number | null): number {
  if (rssi === null) return 0;
  if (rssi >= -55) return 4;
  if (rssi >= -67) return 3;
  if (rssi >= -75) return 2;
  if (rssi >= -85) return 1;
  return 0;
}
