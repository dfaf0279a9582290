/**
 * Rollout campaigns: the operator's side (create, pause, resume, abort, roll a phase back,
 * exclude devices, pin a device) committed before the API answers, and the hooks the check-in
 * path and the download route call, which only touch memory (written behind every second).
 */
import { plural } from '../../../../shared/plural';
import type {
  DeviceUpdateRecord, FleetEvent, RolloutCreate, RolloutDetail, RolloutSummary,
} from '../../../../shared/api';
import type { CheckinRequest, FirmwareOffer } from '../../../../shared/protocol';
import { FleetError, notFound } from '../../errors';
import { deviceIdOrThrow } from '../../ids';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, deviceChanged } from '../context';
import type { Author } from '../contracts';
import { confirmationFor } from './confirm';
import { type ProgressDeps, downloadEnded, downloadStarted, observeCheckin, rolloutOffer, rolloutServes } from './device-progress';
import { type GateDeps, advance, currentPhaseIndex, judgeFailures, judgeRollout, pause, phaseEntries, phaseFailures } from './gate';
import { planRollout, resolveTarget } from './plan';
import { RolloutBook } from './rollout-book';
import { loadRollouts } from './rollout-store';
import { type EntryRuntime, OPEN_STATES, type RolloutRuntime } from './rollout-types';
import { detailOf, summaryOf } from './rollout-view';

/** What the check-in path and the firmware route ask of rollouts (ctx.rollouts). */
export interface RolloutHooks {
  observe(device: DeviceRuntime, body: CheckinRequest): void;
  /** undefined: no rollout owns the device; null: one does and offers nothing now */
  offer(device: DeviceRuntime): FirmwareOffer | null | undefined;
  confirm(device: DeviceRuntime, body: CheckinRequest): { md5: string } | undefined;
  serves(deviceId: string, firmwareId: number): boolean;
  downloadStarted(deviceId: string, firmwareId: number): void;
  downloadEnded(deviceId: string, firmwareId: number, complete: boolean): void;
}

export const NO_ROLLOUT_HOOKS: RolloutHooks = {
  observe: () => undefined, offer: () => undefined, confirm: () => undefined, serves: () => false,
  downloadStarted: () => undefined, downloadEnded: () => undefined,
};

export interface RolloutService {
  create(input: RolloutCreate, author: Author): RolloutDetail;
  list(): RolloutSummary[];
  get(id: number): RolloutDetail;
  pause(id: number, author: Author): RolloutDetail;
  resume(id: number, author: Author): RolloutDetail;
  abort(id: number, author: Author): RolloutDetail;
  rollbackPhase(id: number, phase: number, author: Author): RolloutDetail;
  exclude(id: number, devices: string[], author: Author): RolloutDetail;
  history(deviceId: string, limit?: number): DeviceUpdateRecord[];
  setPinned(deviceId: string, pinned: boolean, author: Author): { pinned: boolean };
  /** the gate timer's work: deadlines, thresholds, phases */
  tick(): void;
  /** writes device progress buffered since the last call */
  flush(): void;
  /** reads rollouts and pins again after the database was restored */
  reload(): void;
}

const EVENT_STATES: Partial<Record<FleetEvent['kind'], DeviceUpdateRecord['state']>> = {
  firmware_offered: 'offered', firmware_updated: 'updated', firmware_failed: 'failed', firmware_rolled_back: 'rolled_back',
};

export function createRolloutService(ctx: ServiceContext): { service: RolloutService; hooks: RolloutHooks } {
  const book = new RolloutBook((rolloutId) => ctx.bus.emit({ type: 'rollout', rolloutId }));
  loadRollouts(ctx.repos.rollouts, book);
  const pins = new Set(ctx.repos.rollouts.pins());
  const pendingAssignments = new Map<string, number>();
  const gateDeps = (): GateDeps => ({ book, clock: ctx.clock, events: ctx.events, state: ctx.state });
  const progress: ProgressDeps = {
    ctx, book,
    settled(rollout) {
      const now = ctx.clock.now();
      judgeFailures(gateDeps(), rollout, now);
      advance(gateDeps(), rollout, now);
    },
    updated(device, firmwareId) {
      device.firmwareId = firmwareId;
      pendingAssignments.set(device.id, firmwareId);
    },
  };

  const rolloutOrThrow = (id: number): RolloutRuntime => {
    const rollout = book.rollouts.get(id);
    if (!rollout) throw new FleetError('not_found', `no rollout ${id}`);
    return rollout;
  };
  const detail = (r: RolloutRuntime): RolloutDetail => detailOf(book, ctx.state, r);
  const flush = (): void => {
    book.flush(ctx.repos.rollouts, (fn) => ctx.db.transaction(() => {
      for (const [deviceId, firmwareId] of pendingAssignments) ctx.repos.devices.setFirmware(deviceId, firmwareId);
      pendingAssignments.clear();
      fn();
    })());
  };
  /** An operator change: device progress first, then the change, in one transaction. */
  const commit = (rollout: RolloutRuntime, now: number, fn: () => void): RolloutDetail => {
    ctx.atomically(() => {
      fn();
      rollout.updatedAt = now;
      book.rolloutChanged(rollout);
      flush();
    });
    return detail(rollout);
  };
  const openOrThrow = (rollout: RolloutRuntime, action: string): void => {
    if (rollout.state === 'done' || rollout.state === 'aborted') {
      throw new FleetError('conflict', `rollout #${rollout.id} is ${rollout.state}; start a new rollout to ${action}`);
    }
  };

  /**
   * Free download slots are offered at the next check-in; devices holding a long-poll would wait
   * out their poll first, so as many of them as there are free slots are woken now.
   */
  const wakeQueued = (rollout: RolloutRuntime): void => {
    if (rollout.state !== 'running') return;
    let free = rollout.maxConcurrent - book.slotsInUse(rollout.id);
    for (const e of rollout.entries.values()) {
      if (free <= 0) return;
      const phase = rollout.phases[e.phase];
      if (e.state !== 'queued' || !phase || phase.state === 'pending' || ctx.waiters.count(e.deviceId) === 0) continue;
      ctx.waiters.notify(e.deviceId);
      free -= 1;
    }
  };

  const service: RolloutService = {
    create(input, author) {
      const fw = ctx.state.firmware.get(input.firmwareId);
      if (!fw) throw notFound('firmware', input.firmwareId);
      if (ctx.images.damageOf(fw.sha256) !== null) throw new FleetError('conflict', `${fw.name} ${fw.version} is damaged on disk; upload it again`);
      const devices = resolveTarget(ctx.state, fw, input.target);
      const flash = ctx.repos.rollouts.flashSizes();
      const { planned, phases } = planRollout(devices, fw, input, (d) => ({
        pinned: pins.has(d.id), flashBytes: flash.get(d.id) ?? null, inOtherRollout: book.active.has(d.id),
      }));
      const now = ctx.clock.now();
      const gate = {
        confirmWithinSec: input.gate.confirmWithinSec, heapFloor: input.gate.heapFloor ?? null, maxReboots: input.gate.maxReboots,
        observeSec: input.gate.observeSec, maxFailures: input.gate.maxFailures ?? null, failurePercent: input.gate.failurePercent ?? null,
      };
      const rollout: RolloutRuntime = {
        id: 0, firmwareId: fw.id, firmwareLabel: `${fw.name} ${fw.version}`, state: 'running', pausedReason: null,
        target: input.target, gate, phases, maxConcurrent: input.maxConcurrent, allowDowngrade: input.allowDowngrade,
        author, createdAt: now, updatedAt: now, finishedAt: null, entries: new Map(),
      };
      ctx.atomically(() => {
        rollout.id = ctx.repos.rollouts.insert(rollout);
        for (const p of planned) {
          const entry: EntryRuntime = {
            rolloutId: rollout.id, deviceId: p.device.id, phase: p.phase, state: p.skip ? 'skipped' : 'queued',
            reason: p.skip?.reason ?? null, message: p.skip?.message ?? null, at: now,
            fromVersion: p.device.fwVersion, fromMd5: p.device.fwMd5, offeredAt: null, bootCount: null, cuts: 0,
          };
          rollout.entries.set(entry.deviceId, entry);
          book.touch(entry);
        }
        ctx.events.record('rollout_created', null, `rollout #${rollout.id} of ${rollout.firmwareLabel} started by ${author}: ${plural(planned.length, 'device')}, ${plural(phases.length, 'phase')}`, {
          rolloutId: rollout.id, firmwareId: fw.id, author,
        });
        book.add(rollout);
        judgeRollout(gateDeps(), rollout); // opens the first phase
        flush();
      });
      // devices of the opened phase long-poll: wake them so the offer goes out now
      for (const e of rollout.entries.values()) if (e.state === 'queued') ctx.waiters.notify(e.deviceId);
      return detail(rollout);
    },

    list: () => [...book.rollouts.values()].sort((a, b) => b.id - a.id).map((r) => summaryOf(book, ctx.state, r)),
    get: (id) => detail(rolloutOrThrow(id)),

    pause(id, author) {
      const rollout = rolloutOrThrow(id);
      openOrThrow(rollout, 'pause');
      const now = ctx.clock.now();
      if (rollout.state === 'paused') return detail(rollout);
      return commit(rollout, now, () => pause(gateDeps(), rollout, `paused by ${author}`, now));
    },

    resume(id, author) {
      const rollout = rolloutOrThrow(id);
      openOrThrow(rollout, 'continue');
      if (rollout.state === 'running') return detail(rollout);
      const now = ctx.clock.now();
      const result = commit(rollout, now, () => {
        rollout.state = 'running';
        rollout.pausedReason = null;
        // failures the operator has seen no longer count against the threshold; new ones do
        const index = currentPhaseIndex(rollout);
        rollout.phases[index]!.failureBase = phaseFailures(phaseEntries(rollout, index));
        ctx.events.record('rollout_resumed', null, `rollout #${rollout.id} resumed by ${author}`, { rolloutId: rollout.id, author });
        judgeRollout(gateDeps(), rollout);
      });
      for (const e of rollout.entries.values()) if (e.state === 'queued') ctx.waiters.notify(e.deviceId);
      return result;
    },

    abort(id, author) {
      const rollout = rolloutOrThrow(id);
      openOrThrow(rollout, 'abort');
      const now = ctx.clock.now();
      return commit(rollout, now, () => {
        for (const e of rollout.entries.values()) {
          if (e.state === 'queued' || e.state === 'offered') book.move(e, 'skipped', now, 'aborted', `rollout aborted by ${author}`);
        }
        for (const p of rollout.phases) if (p.state !== 'passed' && p.state !== 'rolled_back') p.state = 'aborted';
        rollout.state = 'aborted';
        rollout.finishedAt = now;
        book.index(rollout);
        ctx.events.record('rollout_aborted', null, `rollout #${rollout.id} (${rollout.firmwareLabel}) aborted by ${author}`, { rolloutId: rollout.id, author });
      });
    },

    rollbackPhase(id, index, author) {
      const rollout = rolloutOrThrow(id);
      const phase = rollout.phases[index];
      if (!phase) throw new FleetError('not_found', `rollout #${id} has no phase ${index}`);
      const fw = rollout.firmwareId === null ? undefined : ctx.state.firmware.get(rollout.firmwareId);
      const now = ctx.clock.now();
      const touched: DeviceRuntime[] = [];
      const result = commit(rollout, now, () => {
        for (const e of phaseEntries(rollout, index)) {
          if (e.state !== 'updated' && e.state !== 'on_trial' && e.state !== 'verifying' && e.state !== 'rebooting') continue;
          const device = ctx.state.devices.get(e.deviceId);
          const previous = [...ctx.state.firmware.values()].find((f) => (e.fromMd5 !== null && f.md5.toLowerCase() === e.fromMd5)
            || (f.version === e.fromVersion && f.name === (fw?.name ?? f.name)));
          if (!device || !previous) {
            book.move(e, e.state, now, e.reason, `no stored image of ${e.fromVersion ?? 'its previous version'} to roll back to: upload it, then assign it`);
            continue;
          }
          ctx.undo.keep(device);
          ctx.repos.devices.setFirmware(device.id, previous.id);
          pendingAssignments.delete(device.id);
          device.firmwareId = previous.id;
          device.ota = { state: 'none', firmwareId: null };
          ctx.writeBehind.markChanged(device);
          book.move(e, 'rolled_back', now, 'phase_rolled_back', `rolled back by ${author} to ${previous.version}`);
          touched.push(device);
        }
        phase.state = 'rolled_back';
        phase.finishedAt = now;
        if (rollout.state === 'running') pause(gateDeps(), rollout, `phase ${index + 1} rolled back by ${author}`, now);
        ctx.events.record('rollout_phase_rolled_back', null, `rollout #${rollout.id}: phase ${index + 1} rolled back by ${author} (${plural(touched.length, 'device')})`, {
          rolloutId: rollout.id, phase: index, devices: touched.map((d) => d.id), author,
        });
      });
      for (const d of touched) deviceChanged(ctx, d);
      return result;
    },

    exclude(id, devices, author) {
      const rollout = rolloutOrThrow(id);
      openOrThrow(rollout, 'exclude devices');
      const ids = devices.map((raw) => deviceIdOrThrow(raw));
      const entries = ids.map((deviceId) => {
        const entry = rollout.entries.get(deviceId);
        if (!entry) throw new FleetError('not_found', `device ${deviceId} is not in rollout #${id}`);
        return entry;
      });
      const now = ctx.clock.now();
      return commit(rollout, now, () => {
        for (const e of entries) {
          if (e.state === 'updated' || e.state === 'skipped') continue;
          book.move(e, 'skipped', now, 'excluded', `excluded by ${author}${OPEN_STATES.has(e.state) ? '' : ` after it ${e.state.replace('_', ' ')}`}`);
          if (book.active.get(e.deviceId) === e) book.active.delete(e.deviceId);
        }
        ctx.events.record('rollout_paused', null, `rollout #${rollout.id}: ${plural(entries.length, 'device')} excluded by ${author}`, { rolloutId: rollout.id, devices: ids, author });
        judgeRollout(gateDeps(), rollout);
      });
    },

    history(rawId, limit = 50) {
      const deviceId = deviceIdOrThrow(rawId);
      if (!ctx.state.devices.has(deviceId)) throw notFound('device', deviceId);
      flush(); // the rows read below are never behind memory
      const fromRollouts: DeviceUpdateRecord[] = ctx.repos.rollouts.historyOf(deviceId, limit).map((r) => {
        const rollout = book.rollouts.get(r.rolloutId);
        return {
          at: r.at, rolloutId: r.rolloutId, firmwareId: rollout?.firmwareId ?? null, fromVersion: r.fromVersion,
          toVersion: rollout ? rollout.firmwareLabel.slice(rollout.firmwareLabel.lastIndexOf(' ') + 1) : null,
          state: r.state, reason: r.reason, message: r.message,
        };
      });
      const fromEvents: DeviceUpdateRecord[] = [];
      const kinds = Object.keys(EVENT_STATES) as FleetEvent['kind'][];
      for (const ev of ctx.events.list({ deviceId, kinds, limit })) {
        const data = ev.data ?? {};
        fromEvents.push({
          at: ev.at, rolloutId: typeof data.rolloutId === 'number' ? data.rolloutId : null,
          firmwareId: typeof data.firmwareId === 'number' ? data.firmwareId : null, fromVersion: null,
          toVersion: typeof data.version === 'string' ? data.version : null, state: EVENT_STATES[ev.kind]!, reason: null, message: ev.message,
        });
      }
      return [...fromRollouts, ...fromEvents].sort((a, b) => b.at - a.at).slice(0, limit);
    },

    setPinned(rawId, pinned, author) {
      const deviceId = deviceIdOrThrow(rawId);
      if (!ctx.state.devices.has(deviceId)) throw notFound('device', deviceId);
      ctx.atomically(() => {
        if (pinned) ctx.repos.rollouts.pin(deviceId, ctx.clock.now());
        else ctx.repos.rollouts.unpin(deviceId);
        ctx.events.record('firmware_assigned', deviceId, `firmware of ${deviceId} ${pinned ? 'pinned' : 'unpinned'} by ${author}`, { pinned, author });
      });
      if (pinned) pins.add(deviceId);
      else pins.delete(deviceId);
      return { pinned };
    },

    reload() {
      book.clear();
      pendingAssignments.clear();
      loadRollouts(ctx.repos.rollouts, book);
      pins.clear();
      for (const id of ctx.repos.rollouts.pins()) pins.add(id);
    },

    tick() {
      for (const rollout of book.rollouts.values()) {
        judgeRollout(gateDeps(), rollout);
        wakeQueued(rollout);
      }
    },
    flush,
  };

  const hooks: RolloutHooks = {
    observe: (device, body) => observeCheckin(progress, device, body),
    offer: (device) => (pins.has(device.id) ? undefined : rolloutOffer(progress, device)),
    confirm(device, body) {
      if (body.boot?.trial !== true) return undefined;
      const entry = book.active.get(device.id);
      return confirmationFor(ctx.state, device, body, entry ? (book.rollouts.get(entry.rolloutId)?.firmwareId ?? null) : null);
    },
    serves: (deviceId, firmwareId) => rolloutServes(progress, deviceId, firmwareId),
    downloadStarted: (deviceId, firmwareId) => downloadStarted(progress, deviceId, firmwareId),
    downloadEnded: (deviceId, firmwareId, complete) => downloadEnded(progress, deviceId, firmwareId, complete),
  };
  return { service, hooks };
}
