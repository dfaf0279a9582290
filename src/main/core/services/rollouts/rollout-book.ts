/**
 * The rollouts in memory and every change of a device's state in one: `move` keeps the download
 * slot count, the pending writes and the live delta in step, so no caller can forget one of them.
 */
import type { RolloutDeviceEntry, RolloutDeviceState } from '../../../../shared/api';
import type { RolloutDeviceRow, RolloutsRepo } from '../../db/repos/rollouts-repo';
import type { EntryRuntime, RolloutRuntime } from './rollout-types';
import { OPEN_STATES, SLOT_STATES } from './rollout-types';

export class RolloutBook {
  readonly rollouts = new Map<number, RolloutRuntime>();
  /** device → its entry in a running or paused rollout (a device is in at most one) */
  readonly active = new Map<string, EntryRuntime>();
  private readonly slots = new Map<number, number>();
  private readonly peaks = new Map<number, number>();
  private readonly dirtyEntries = new Set<EntryRuntime>();
  private readonly dirtyRollouts = new Set<RolloutRuntime>();
  private readonly announced = new Set<number>();
  private announcing = false;

  constructor(private readonly announce: (rolloutId: number) => void) {}

  /** Forgets everything (the database was replaced underneath: a restore). */
  clear(): void {
    for (const map of [this.rollouts, this.active, this.slots, this.peaks]) map.clear();
    this.dirtyEntries.clear();
    this.dirtyRollouts.clear();
  }

  add(rollout: RolloutRuntime): void {
    this.rollouts.set(rollout.id, rollout);
    let inSlots = 0;
    for (const entry of rollout.entries.values()) if (SLOT_STATES.has(entry.state)) inSlots += 1;
    this.slots.set(rollout.id, inSlots);
    this.peaks.set(rollout.id, inSlots);
    this.index(rollout);
  }

  /** Running and paused rollouts own their devices; finished ones give them back. */
  index(rollout: RolloutRuntime): void {
    const owns = rollout.state === 'running' || rollout.state === 'paused';
    for (const entry of rollout.entries.values()) {
      if (entry.phase < 0) continue;
      if (owns) this.active.set(entry.deviceId, entry);
      else if (this.active.get(entry.deviceId) === entry) this.active.delete(entry.deviceId);
    }
  }

  slotsInUse(rolloutId: number): number {
    return this.slots.get(rolloutId) ?? 0;
  }

  peakSlots(rolloutId: number): number {
    return this.peaks.get(rolloutId) ?? 0;
  }

  move(entry: EntryRuntime, state: RolloutDeviceState, at: number, reason: RolloutDeviceEntry['reason'] = null, message: string | null = null): void {
    const delta = Number(SLOT_STATES.has(state)) - Number(SLOT_STATES.has(entry.state));
    if (delta !== 0) {
      const now = (this.slots.get(entry.rolloutId) ?? 0) + delta;
      this.slots.set(entry.rolloutId, now);
      if (now > (this.peaks.get(entry.rolloutId) ?? 0)) this.peaks.set(entry.rolloutId, now);
    }
    entry.state = state;
    entry.at = at;
    entry.reason = reason;
    entry.message = message;
    this.touch(entry);
  }

  /** A field of the entry other than its state changed (boot count, offer time). */
  touch(entry: EntryRuntime): void {
    this.dirtyEntries.add(entry);
    this.changed(entry.rolloutId);
  }

  rolloutChanged(rollout: RolloutRuntime): void {
    this.dirtyRollouts.add(rollout);
    this.changed(rollout.id);
  }

  /** One live delta per rollout per turn of the event loop, however many devices moved in it. */
  private changed(rolloutId: number): void {
    this.announced.add(rolloutId);
    if (this.announcing) return;
    this.announcing = true;
    setImmediate(() => {
      this.announcing = false;
      const ids = [...this.announced];
      this.announced.clear();
      for (const id of ids) this.announce(id);
    });
  }

  /** Writes what devices did since the last call, in one transaction (a timer runs it). */
  flush(repo: RolloutsRepo, transaction: (fn: () => void) => void): void {
    if (this.dirtyEntries.size === 0 && this.dirtyRollouts.size === 0) return;
    const entries = [...this.dirtyEntries];
    const rollouts = [...this.dirtyRollouts];
    this.dirtyEntries.clear();
    this.dirtyRollouts.clear();
    try {
      transaction(() => {
        for (const e of entries) repo.saveDevice(rowOf(e));
        for (const r of rollouts) repo.update(r);
      });
    } catch (err) {
      for (const e of entries) this.dirtyEntries.add(e);
      for (const r of rollouts) this.dirtyRollouts.add(r);
      throw err;
    }
  }

  openEntries(rollout: RolloutRuntime): EntryRuntime[] {
    return [...rollout.entries.values()].filter((e) => e.phase >= 0 && OPEN_STATES.has(e.state));
  }
}

export function rowOf(e: EntryRuntime): RolloutDeviceRow {
  return {
    rolloutId: e.rolloutId, deviceId: e.deviceId, phase: e.phase, state: e.state, reason: e.reason, message: e.message, at: e.at,
    fromVersion: e.fromVersion, fromMd5: e.fromMd5, offeredAt: e.offeredAt, bootCount: e.bootCount,
  };
}
