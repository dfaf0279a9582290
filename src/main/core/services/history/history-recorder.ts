/**
 * Device history as check-ins arrive: each device's current hour is accumulated in memory
 * (min/sum/max of signal and heap, longest silence, time past the late threshold, reboots) and
 * queued to the write-behind once, when the hour is over. A check-in costs a few additions and
 * compares; the disk sees one row per device per hour, plus one per reboot.
 */
import type { RebootMark } from '../../../../shared/api';
import type { StatusThresholds } from '../../../../shared/status';
import type { WriteQueue } from '../../db/persistence';
import type { BucketRow, HistoryRepo } from '../../db/repos/history-repo';
import type { DeviceRuntime } from '../../state/runtime';

export const BUCKET_MS = 3_600_000;
/** A device in a reboot loop is counted in full but marked on the chart at most this often per hour. */
export const MAX_REBOOT_MARKS_PER_BUCKET = 30;

/** What a device said before this check-in: history needs the previous last-seen and uptime. */
export interface PreviousReport { lastSeenAt: number | null; uptime: number | null }

export const bucketStart = (at: number): number => at - (at % BUCKET_MS);

function emptyBucket(deviceId: string, at: number): BucketRow {
  return {
    deviceId, at, checkins: 0,
    rssiMin: null, rssiSum: null, rssiN: 0, rssiMax: null,
    heapMin: null, heapSum: null, heapN: 0, heapMax: null,
    uptimeMax: null, reboots: 0, gapMax: 0, downMs: 0,
  };
}

export class HistoryRecorder {
  /** the open (current-hour) bucket of every device seen this hour */
  readonly open = new Map<string, BucketRow>();

  constructor(
    private readonly queue: WriteQueue,
    private readonly repo: () => HistoryRepo,
    private readonly thresholds: () => StatusThresholds,
    /** false: check-ins record nothing (the benchmark's "before" in the same run) */
    private readonly enabled = true,
  ) {}

  /**
   * One check-in. `intervalSeconds` is the device's expected cadence; a silence longer than the
   * late threshold counts as down time from the end of the interval. `bootReason` is the reason
   * the device gives when its check-in carries a boot report (null when it does not).
   */
  observe(device: DeviceRuntime, now: number, before: PreviousReport, intervalSeconds: number, bootReason: string | null = null): void {
    if (!this.enabled) return;
    const at = bucketStart(now);
    let bucket = this.open.get(device.id);
    if (bucket === undefined || bucket.at !== at) {
      if (bucket !== undefined) this.close(bucket);
      bucket = emptyBucket(device.id, at);
      this.open.set(device.id, bucket);
    }
    bucket.checkins += 1;
    const { rssi, heap, uptime } = device;
    if (rssi !== null) {
      bucket.rssiSum = (bucket.rssiSum ?? 0) + rssi;
      bucket.rssiN += 1;
      if (bucket.rssiMin === null || rssi < bucket.rssiMin) bucket.rssiMin = rssi;
      if (bucket.rssiMax === null || rssi > bucket.rssiMax) bucket.rssiMax = rssi;
    }
    if (heap !== null) {
      bucket.heapSum = (bucket.heapSum ?? 0) + heap;
      bucket.heapN += 1;
      if (bucket.heapMin === null || heap < bucket.heapMin) bucket.heapMin = heap;
      if (bucket.heapMax === null || heap > bucket.heapMax) bucket.heapMax = heap;
    }
    if (uptime !== null && (bucket.uptimeMax === null || uptime > bucket.uptimeMax)) bucket.uptimeMax = uptime;
    if (before.lastSeenAt !== null && now > before.lastSeenAt) {
      const gap = now - before.lastSeenAt;
      if (gap > bucket.gapMax) bucket.gapMax = gap;
      const intervalMs = intervalSeconds * 1000;
      if (gap > this.thresholds().lateFactor * intervalMs) bucket.downMs += Math.min(gap - intervalMs, now - at);
    }
    if (uptime !== null && before.uptime !== null && uptime < before.uptime) {
      bucket.reboots += 1;
      if (bucket.reboots <= MAX_REBOOT_MARKS_PER_BUCKET) this.queueReboot(device.id, { at: now - uptime * 1000, uptimeBefore: before.uptime, reason: bootReason });
    }
  }

  /** The open bucket of a device (the current hour, not on disk yet). */
  current(deviceId: string): BucketRow | undefined {
    return this.open.get(deviceId);
  }

  /** Queues the buckets of hours that are over (devices that went quiet); the periodic sweep. */
  closeStale(now: number): number {
    const at = bucketStart(now);
    let closed = 0;
    for (const bucket of this.open.values()) {
      if (bucket.at < at) {
        this.close(bucket);
        closed += 1;
      }
    }
    return closed;
  }

  /** Queues every open bucket as it stands (at shutdown; the rest of the hour merges into it later). */
  closeAll(): void {
    for (const bucket of this.open.values()) this.close(bucket);
  }

  private close(bucket: BucketRow): void {
    this.open.delete(bucket.deviceId);
    this.queue.later(() => this.repo().upsertBucket(bucket));
  }

  private queueReboot(deviceId: string, mark: RebootMark): void {
    this.queue.later(() => this.repo().insertReboot(deviceId, mark));
  }
}
