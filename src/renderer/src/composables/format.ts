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

export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min ${seconds % 60} s`;
}

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
