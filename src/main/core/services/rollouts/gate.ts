/**
 * The health gate, judged on every tick of the rollout timer (and at once after a failure):
 * offers nobody picked up give their slot back, devices that did not confirm within the gate's
 * time fail, a phase whose failures pass its threshold pauses the rollout, and a phase whose
 * devices all settled — and stayed healthy for the observation time — passes and opens the next.
 * Time comes from ctx.clock, so tests drive deadlines without waiting.
 */
import { plural } from '../../../../shared/plural';
import type { EventLog } from '../../events/event-log';
import type { FleetState } from '../../state/runtime';
import type { Clock } from '../contracts';
import type { RolloutBook } from './rollout-book';
import {
  type EntryRuntime, FAILURE_STATES, OFFER_SLOT_MS, OPEN_STATES, type RolloutRuntime, VERIFY_TO_REBOOT_MS,
} from './rollout-types';

export interface GateDeps { book: RolloutBook; clock: Clock; events: EventLog; state: FleetState }

/** Failures a phase tolerates before the rollout pauses; the first phase (the canary) none by default. */
export function maxFailuresOf(rollout: RolloutRuntime, phaseIndex: number, phaseSize: number): number {
  const { maxFailures, failurePercent } = rollout.gate;
  if (maxFailures !== null) return maxFailures;
  if (failurePercent !== null) return Math.floor((failurePercent / 100) * phaseSize);
  return phaseIndex === 0 ? 0 : Math.floor(0.1 * phaseSize);
}

export function phaseEntries(rollout: RolloutRuntime, index: number): EntryRuntime[] {
  return [...rollout.entries.values()].filter((e) => e.phase === index);
}

export function phaseFailures(entries: EntryRuntime[]): number {
  return entries.filter((e) => FAILURE_STATES.has(e.state)).length;
}

export function currentPhaseIndex(rollout: RolloutRuntime): number {
  const i = rollout.phases.findIndex((p) => p.state !== 'passed');
  return i < 0 ? rollout.phases.length - 1 : i;
}

export function pause(deps: GateDeps, rollout: RolloutRuntime, reason: string, now: number): void {
  rollout.state = 'paused';
  rollout.pausedReason = reason;
  rollout.updatedAt = now;
  // offers not yet taken up go back to the queue; downloads under way finish
  for (const e of rollout.entries.values()) if (e.state === 'offered') deps.book.move(e, 'queued', now);
  deps.book.rolloutChanged(rollout);
  deps.events.recordLater('rollout_paused', null, `rollout #${rollout.id} (${rollout.firmwareLabel}) paused: ${reason}`, { rolloutId: rollout.id, reason });
}

/** Pauses the rollout when the current phase's new failures pass its threshold. */
export function judgeFailures(deps: GateDeps, rollout: RolloutRuntime, now: number): void {
  if (rollout.state !== 'running') return;
  const index = currentPhaseIndex(rollout);
  const phase = rollout.phases[index]!;
  const entries = phaseEntries(rollout, index);
  const failures = phaseFailures(entries) - phase.failureBase;
  const allowed = maxFailuresOf(rollout, index, entries.length);
  if (failures > allowed) {
    const name = index === 0 ? 'canary' : `phase ${index + 1}`;
    pause(deps, rollout, `${failures} of ${plural(entries.length, `${name} device`)} failed or rolled back (threshold ${allowed})`, now);
  }
}

function expireEntries(deps: GateDeps, rollout: RolloutRuntime, now: number): void {
  const confirmMs = rollout.gate.confirmWithinSec * 1000;
  for (const e of rollout.entries.values()) {
    if (e.state === 'offered' && e.offeredAt !== null && now - e.offeredAt > OFFER_SLOT_MS) {
      deps.book.move(e, 'queued', now, null, 'offer not taken up: waits for the next check-in');
    } else if (e.state === 'verifying' && now - e.at > VERIFY_TO_REBOOT_MS) {
      deps.book.move(e, 'rebooting', now);
    } else if (OPEN_STATES.has(e.state) && e.state !== 'queued' && e.offeredAt !== null && now - e.offeredAt > confirmMs) {
      deps.book.move(e, 'failed', now, 'not_confirmed', `not confirmed on the new image within ${rollout.gate.confirmWithinSec} s`);
      deps.events.recordLater('firmware_failed', e.deviceId, `${e.deviceId}: ${rollout.firmwareLabel} not confirmed within ${rollout.gate.confirmWithinSec} s`, { rolloutId: rollout.id });
    }
  }
}

/** A queued device that is offline does not hold its phase: it catches up when it returns. */
function settled(deps: GateDeps, e: EntryRuntime): boolean {
  if (!OPEN_STATES.has(e.state)) return true;
  return e.state === 'queued' && deps.state.devices.get(e.deviceId)?.status === 'offline';
}

export function advance(deps: GateDeps, rollout: RolloutRuntime, now: number): void {
  for (;;) {
    if (rollout.state !== 'running') return;
    const index = currentPhaseIndex(rollout);
    const phase = rollout.phases[index]!;
    if (phase.state === 'passed') break; // every phase passed
    if (phase.state === 'pending') {
      phase.state = 'running';
      phase.startedAt = now;
      deps.book.rolloutChanged(rollout);
      deps.events.recordLater('rollout_phase_started', null, `rollout #${rollout.id}: phase ${index + 1} of ${rollout.phases.length} started`, { rolloutId: rollout.id, phase: index });
    }
    const entries = phaseEntries(rollout, index);
    if (!entries.every((e) => settled(deps, e))) {
      if (phase.settledAt !== null || phase.state === 'gating') {
        phase.settledAt = null;
        phase.state = 'running';
        deps.book.rolloutChanged(rollout);
      }
      return;
    }
    if (phase.settledAt === null) {
      phase.settledAt = now;
      phase.state = 'gating';
      deps.book.rolloutChanged(rollout);
    }
    if (now - phase.settledAt < rollout.gate.observeSec * 1000) return;
    phase.state = 'passed';
    phase.finishedAt = now;
    deps.book.rolloutChanged(rollout);
    deps.events.recordLater('rollout_phase_passed', null, `rollout #${rollout.id}: phase ${index + 1} passed its gate`, { rolloutId: rollout.id, phase: index });
    if (index === rollout.phases.length - 1) break;
  }
  if (deps.book.openEntries(rollout).length === 0) {
    rollout.state = 'done';
    rollout.finishedAt = now;
    rollout.updatedAt = now;
    deps.book.rolloutChanged(rollout);
    deps.book.index(rollout);
    deps.events.recordLater('rollout_done', null, `rollout #${rollout.id} (${rollout.firmwareLabel}) done`, { rolloutId: rollout.id });
  }
}

/** One tick for one rollout. */
export function judgeRollout(deps: GateDeps, rollout: RolloutRuntime): void {
  if (rollout.state !== 'running' && rollout.state !== 'paused') return;
  const now = deps.clock.now();
  expireEntries(deps, rollout, now);
  judgeFailures(deps, rollout, now);
  advance(deps, rollout, now);
}
