/**
 * A new rollout's plan: the target resolved to devices (every given criterion must hold), the
 * skips decided, and the remaining devices split into phases — online devices first, so a canary
 * is not held up by a device that is switched off.
 */
import type { FirmwareSummary, RolloutCreate } from '../../../../shared/api';
import { FleetError, notFound } from '../../errors';
import { deviceIdOrThrow } from '../../ids';
import type { DeviceRuntime, FleetState } from '../../state/runtime';
import { type SkipDecision, skipReason } from './eligibility';
import type { PhaseRuntime } from './rollout-types';

export interface PlannedDevice { device: DeviceRuntime; phase: number; skip: SkipDecision | null }

export function resolveTarget(state: FleetState, fw: FirmwareSummary, target: RolloutCreate['target']): DeviceRuntime[] {
  let candidates: DeviceRuntime[];
  if (target.devices) {
    candidates = [...new Set(target.devices.map((raw) => deviceIdOrThrow(raw)))].map((id) => {
      const device = state.devices.get(id);
      if (!device) throw notFound('device', id);
      return device;
    });
  } else candidates = [...state.devices.values()];
  if (target.profileId !== undefined) {
    if (!state.profiles.has(target.profileId)) throw notFound('profile', target.profileId);
    candidates = candidates.filter((d) => d.profileId === target.profileId);
  }
  if (target.tag !== undefined) candidates = candidates.filter((d) => d.tags.includes(target.tag!));
  if (target.outdated) candidates = candidates.filter((d) => d.fwName === fw.name && d.fwVersion !== fw.version);
  return candidates;
}

/** Cumulative phase ends over `eligible` devices; the last phase always takes the rest. */
export function phaseEnds(phases: RolloutCreate['phases'], eligible: number): number[] {
  const ends: number[] = [];
  let end = 0;
  for (const p of phases) {
    const size = 'size' in p ? p.size : Math.ceil((p.percent / 100) * eligible);
    end = Math.min(eligible, end + Math.max(1, size));
    ends.push(end);
  }
  if (end < eligible) ends.push(eligible);
  else ends[ends.length - 1] = eligible;
  return ends;
}

export function planRollout(
  devices: DeviceRuntime[],
  fw: FirmwareSummary,
  input: RolloutCreate,
  facts: (d: DeviceRuntime) => { pinned: boolean; flashBytes: number | null; inOtherRollout: boolean },
): { planned: PlannedDevice[]; phases: PhaseRuntime[] } {
  const decided = devices.map((device) => ({ device, skip: skipReason(device, fw, { ...facts(device), allowDowngrade: input.allowDowngrade }) }));
  const eligible = decided.filter((d) => d.skip === null)
    .sort((a, b) => Number(b.device.status === 'online') - Number(a.device.status === 'online') || (a.device.id < b.device.id ? -1 : 1));
  if (eligible.length === 0) {
    throw new FleetError('conflict', `no device of the target can take ${fw.name} ${fw.version}: ${summariseSkips(decided)}`, {
      skipped: decided.map((d) => ({ id: d.device.id, reason: d.skip?.reason })),
    });
  }
  const ends = phaseEnds(input.phases, eligible.length);
  const planned: PlannedDevice[] = decided.filter((d) => d.skip !== null).map((d) => ({ ...d, phase: -1 }));
  let phase = 0;
  eligible.forEach((d, i) => {
    while (i >= ends[phase]!) phase += 1;
    planned.push({ ...d, phase });
  });
  const phases: PhaseRuntime[] = ends.map((_, i) => {
    const given = input.phases[i];
    return {
      size: given && 'size' in given ? given.size : null,
      percent: given && 'percent' in given ? given.percent : given ? null : 100,
      state: 'pending', startedAt: null, finishedAt: null, failureBase: 0, settledAt: null,
    };
  });
  return { planned, phases };
}

function summariseSkips(decided: { skip: SkipDecision | null }[]): string {
  if (decided.length === 0) return 'the target matches no device';
  const counts = new Map<string, number>();
  for (const d of decided) if (d.skip) counts.set(d.skip.reason, (counts.get(d.skip.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason.replace(/_/g, ' ')}`).join(', ');
}
