/** Admin contract: a device's telemetry and history, its availability, and the fleet dashboard. */
import { z } from 'zod';
import type { FleetEvent } from './events';

/** One downsampled bucket of a device's telemetry: averages of rssi/heap, the last uptime. */
export interface TelemetryPoint {
  at: number; // bucket start
  rssi: number | null;
  heap: number | null;
  uptime: number | null;
}
export const TelemetryQuerySchema = z.object({
  since: z.coerce.number().int().min(0).optional(), // epoch ms; default: 24 h ago
  maxPoints: z.coerce.number().int().min(1).max(2000).default(300),
});

/** The time ranges the charts offer; each reads a bounded number of points (see HISTORY_STEP_MS). */
export const HISTORY_RANGES = ['1h', '24h', '7d', '30d'] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
export const HISTORY_RANGE_MS: Record<HistoryRange, number> = {
  '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000,
};
/** Point spacing per range: 60 / 288 / 168 / 720 points at most. */
export const HISTORY_STEP_MS: Record<HistoryRange, number> = {
  '1h': 60_000, '24h': 300_000, '7d': 3_600_000, '30d': 3_600_000,
};
/** Availability cell per range: 24 / 42 / 30 cells. */
export const AVAILABILITY_CELL_MS: Record<HistoryRange, number> = {
  '1h': 300_000, '24h': 3_600_000, '7d': 4 * 3_600_000, '30d': 86_400_000,
};
export const HistoryQuerySchema = z.object({ range: z.enum(HISTORY_RANGES).default('24h') });

/** One point of a device's history: min/avg/max of the gauges over `stepMs` from `at`. */
export interface HistoryPoint {
  at: number;
  checkins: number;
  rssiMin: number | null; rssiAvg: number | null; rssiMax: number | null;
  heapMin: number | null; heapAvg: number | null; heapMax: number | null;
  /** highest uptime reported in the step, seconds */
  uptime: number | null;
  /** longest silence between two check-ins that ended in the step, ms (hourly buckets only; 0 from raw samples) */
  gapMax: number;
}
/** A reboot: an uptime that went down between two check-ins (or a boot report). */
export interface RebootMark {
  /** estimated boot time: the check-in that noticed it minus the uptime it reported */
  at: number;
  uptimeBefore: number | null;
  /** the device's boot reason when it reports one, else null */
  reason: string | null;
}
export interface DeviceHistory {
  range: HistoryRange;
  from: number;
  to: number;
  stepMs: number;
  /** raw samples (recent window) or hourly min/avg/max buckets */
  source: 'raw' | 'buckets';
  points: HistoryPoint[];
  reboots: RebootMark[];
}

/** up = checked in throughout, degraded = seen but with silences past the late threshold, down = not seen, none = before the device existed */
export type AvailabilityState = 'up' | 'degraded' | 'down' | 'none';
export interface AvailabilityCell { at: number; ms: number; upMs: number; state: AvailabilityState }
export interface DeviceAvailability {
  range: HistoryRange;
  cells: AvailabilityCell[];
  /** share of time up (0..1) over the last 24 h / 7 d / 30 d (or since the device registered); null = no time to judge */
  uptime: { '24h': number | null; '7d': number | null; '30d': number | null };
}

export interface FleetCounts { at: number; online: number; late: number; offline: number; pending: number; blocked: number }
export interface FirmwareShare { version: string; devices: number }
export interface DeviceRank { id: string; name: string; status: string; value: number }
export interface Dashboard {
  range: HistoryRange;
  from: number;
  now: FleetCounts;
  /** fleet status counts over the range (one sample every 5 minutes, averaged per step) */
  series: FleetCounts[];
  firmware: FirmwareShare[];
  /** firmware versions in use over the range, one entry per hour */
  firmwareSeries: { at: number; versions: FirmwareShare[] }[];
  /** the latest came online / went late / went offline events */
  recentChanges: FleetEvent[];
  weakestSignal: DeviceRank[];
  lowestHeap: DeviceRank[];
  /** reboots in the range */
  mostReboots: DeviceRank[];
}
