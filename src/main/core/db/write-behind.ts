import type { Database } from 'better-sqlite3';
import type { DeviceRuntime } from '../state/runtime';
import { UPDATE_LIVENESS_SQL, UPDATE_REPORTED_SQL, livenessParams, reportedParams } from './device-codec';
import { isStorageFull } from '../errors';

interface TelemetryRow { deviceId: string; at: number; rssi: number | null; heap: number | null; uptime: number | null }

export interface WriteBehindPacing {
  /** how long a buffered change may wait before the write-behind starts draining in steps */
  stepDelayMs: number;
  /** rows (device updates + queued writes + telemetry samples) per step, one transaction each */
  stepRows: number;
}

/**
 * Measured on the bench (10 000 devices, ≈ 333 check-ins/s): one transaction per second of
 * ≈ 500 rows held the event loop for 150–280 ms on this machine; steps of 32 rows cost a few
 * ms each and, with the event loop free between them, check-ins slot in between.
 */
export const DEFAULT_PACING: WriteBehindPacing = { stepDelayMs: 100, stepRows: 32 };

/** What one transaction of the write-behind took (the persistence unit counts rows for its checkpointer). */
export interface WrittenBatch {
  devices: number;
  rows: number;
}

/**
 * The write-behind buffer of the check-in path, so a check-in never waits on the disk: device
 * liveness and telemetry stay in memory and reach SQLite behind the reply. Device-driven events and command state changes
 * ride along as queued writes. A crash loses at most what arrived since the last step (about
 * `stepDelayMs` plus the steps ahead of it, well under the one-second flush interval) or since the
 * last `flush()`; operator changes never go through here.
 *
 * Two ways out: the buffer drains itself in small transactions (`stepRows` rows each, a
 * `setImmediate` apart so check-ins are served between them), and `flush()` writes everything
 * at once for the read barrier, the flush timer and shutdown (see persistence.ts).
 */
export class WriteBehind {
  /** devices with only new liveness/telemetry (the common check-in) */
  private dirty = new Set<DeviceRuntime>();
  /** devices with other flushed fields changed too (ip, ssid, firmware, cfgsn, status, OTA) */
  private changed = new Set<DeviceRuntime>();
  private writes: (() => void)[] = [];
  private telemetry: TelemetryRow[] = [];
  private readonly updateLiveness;
  private readonly updateDevice;
  private readonly insertTelemetry;
  private stepTimer: NodeJS.Timeout | null = null;
  private stepImmediate: NodeJS.Immediate | null = null;
  /** a step failed: no more steps until `flush()` hands the error to its caller (who logs it) */
  private stepError: Error | null = null;

  constructor(
    private readonly db: Database,
    private readonly onWritten: (batch: WrittenBatch) => void = () => {},
    private readonly pacing: WriteBehindPacing = DEFAULT_PACING,
  ) {
    // The narrow statement is what most check-ins need; it costs about a third of the full one.
    this.updateLiveness = db.prepare(UPDATE_LIVENESS_SQL);
    this.updateDevice = db.prepare(UPDATE_REPORTED_SQL);
    this.insertTelemetry = db.prepare('INSERT INTO telemetry (device_id, at, rssi, heap, uptime) VALUES (?, ?, ?, ?, ?)');
  }

  /** Only last-seen and telemetry changed. */
  markDirty(device: DeviceRuntime): void {
    this.dirty.add(device);
    this.scheduleSteps();
  }

  /** Something besides liveness changed (ip, ssid, firmware, applied cfgsn, status, OTA). */
  markChanged(device: DeviceRuntime): void {
    this.changed.add(device);
    this.scheduleSteps();
  }

  /** A deleted device: its buffered liveness must not land on a row re-created under the same id. */
  forget(device: DeviceRuntime): void {
    this.dirty.delete(device);
    this.changed.delete(device);
  }

  /** A write that may trail by one flush (device-driven events, command delivery and acks). */
  later(write: () => void): void {
    this.writes.push(write);
    this.scheduleSteps();
  }

  sample(deviceId: string, at: number, rssi: number | null, heap: number | null, uptime: number | null): void {
    this.telemetry.push({ deviceId, at, rssi, heap, uptime });
    this.scheduleSteps();
  }

  get pending(): number {
    return this.dirty.size + this.changed.size + this.writes.length + this.telemetry.length;
  }

  /** Whether a self-draining step is scheduled: read-only, so tests can see that a failure stops the steps. */
  get stepScheduled(): boolean {
    return this.stepTimer !== null || this.stepImmediate !== null;
  }

  /**
   * Writes everything buffered in one transaction. Safe to call any time; cheap when empty.
   * `liveness: false` leaves plain liveness updates (the bulk under check-in load) for later:
   * for readers that take last-seen and telemetry from memory anyway.
   */
  flush(options: { liveness?: boolean } = {}): void {
    const stepError = this.stepError;
    this.stepError = null;
    if (this.pending > 0) {
      this.write(Number.POSITIVE_INFINITY, options.liveness ?? true);
      if (this.pending > 0) this.scheduleSteps();
    }
    // What was left after the failed step is on disk now; the failure itself still gets reported.
    if (stepError !== null) throw stepError;
  }

  /** Stops the self-draining (the caller flushes once more if it wants the rest on disk). */
  stopSteps(): void {
    if (this.stepTimer) clearTimeout(this.stepTimer);
    if (this.stepImmediate) clearImmediate(this.stepImmediate);
    this.stepTimer = null;
    this.stepImmediate = null;
  }

  private scheduleSteps(): void {
    if (this.stepTimer || this.stepImmediate || this.stepError !== null) return;
    this.stepTimer = setTimeout(() => {
      this.stepTimer = null;
      // Only what is buffered now: what arrives meanwhile waits for the next round, so a fleet
      // under load gets a few commits per round rather than one per handful of check-ins.
      this.step(this.pending);
    }, this.pacing.stepDelayMs);
    this.stepTimer.unref();
  }

  private step(budget: number): void {
    this.stepImmediate = null;
    if (this.stepError !== null) return;
    try {
      budget -= this.write(Math.min(budget, this.pacing.stepRows), true);
    } catch (err) {
      // Kept for flush() to throw: its caller has the logger (the flush timer logs and goes on).
      this.stepError = err instanceof Error ? err : new Error(String(err));
      return;
    }
    if (this.pending === 0) return;
    if (budget > 0) {
      this.stepImmediate = setImmediate(() => this.step(budget));
      this.stepImmediate.unref();
    } else {
      this.scheduleSteps();
    }
  }

  /** Writes up to `limit` rows, oldest first, in one transaction; returns how many it took. */
  private write(limit: number, withLiveness: boolean): number {
    const changed = takeFromSet(this.changed, limit);
    const dirty: DeviceRuntime[] = [];
    if (withLiveness) {
      const takenChanged = new Set(changed);
      for (const d of this.dirty) {
        if (changed.length + dirty.length >= limit) break;
        this.dirty.delete(d);
        // the full row write of a changed device carries its liveness too
        if (!this.changed.has(d) && !takenChanged.has(d)) dirty.push(d);
      }
    } else {
      for (const d of changed) this.dirty.delete(d);
    }
    let room = limit - changed.length - dirty.length;
    const writes = takeFromArray(this.writes, room);
    room -= writes.length;
    const telemetry = takeFromArray(this.telemetry, room);
    const taken = changed.length + dirty.length + writes.length + telemetry.length;
    if (taken === 0) return 0;
    try {
      this.db.transaction(() => {
        for (const d of dirty) this.updateLiveness.run(livenessParams(d));
        for (const d of changed) this.updateDevice.run(reportedParams(d));
        for (const write of writes) write();
        for (const t of telemetry) this.insertTelemetry.run(t.deviceId, t.at, t.rssi, t.heap, t.uptime);
      })();
    } catch (err) {
      // Device rows are rewritten whole from memory, so retrying them is always right; a queued
      // write that failed would fail again, so those are dropped (the caller logs the error) —
      // unless the disk was full: then everything waits for space to come back.
      for (const d of dirty) this.dirty.add(d);
      for (const d of changed) this.changed.add(d);
      if (isStorageFull(err)) {
        this.writes.unshift(...writes);
        this.telemetry.unshift(...telemetry);
      }
      throw err;
    }
    this.onWritten({ devices: dirty.length + changed.length, rows: taken });
    return taken;
  }
}

function takeFromSet<T>(set: Set<T>, limit: number): T[] {
  const taken: T[] = [];
  for (const item of set) {
    if (taken.length >= limit) break;
    set.delete(item);
    taken.push(item);
  }
  return taken;
}

function takeFromArray<T>(array: T[], limit: number): T[] {
  if (limit <= 0) return [];
  return limit >= array.length ? array.splice(0) : array.splice(0, limit);
}
