/** Shapes rollouts for the admin API: summaries for the list, the detail with phases and devices. */
import {
  ROLLOUT_DEVICE_STATES, type RolloutCounts, type RolloutDetail, type RolloutDeviceEntry, type RolloutSummary,
} from '../../../../shared/api';
import type { FleetState } from '../../state/runtime';
import type { RolloutBook } from './rollout-book';
import { currentPhaseIndex, maxFailuresOf, phaseFailures } from './gate';
import type { EntryRuntime, RolloutRuntime } from './rollout-types';

function emptyCounts(): RolloutCounts {
  return Object.fromEntries(ROLLOUT_DEVICE_STATES.map((s) => [s, 0])) as RolloutCounts;
}

function countsOf(entries: Iterable<EntryRuntime>): RolloutCounts {
  const counts = emptyCounts();
  for (const e of entries) counts[e.state] += 1;
  return counts;
}

function versionOf(label: string): string {
  return label.slice(label.lastIndexOf(' ') + 1);
}

export function summaryOf(book: RolloutBook, state: FleetState, r: RolloutRuntime): RolloutSummary {
  const fw = r.firmwareId === null ? undefined : state.firmware.get(r.firmwareId);
  return {
    id: r.id, firmwareId: r.firmwareId ?? 0, firmwareName: fw?.name ?? r.firmwareLabel.slice(0, r.firmwareLabel.lastIndexOf(' ')),
    firmwareVersion: fw?.version ?? versionOf(r.firmwareLabel), state: r.state, pausedReason: r.pausedReason,
    createdAt: r.createdAt, updatedAt: r.updatedAt, finishedAt: r.finishedAt, author: r.author,
    maxConcurrent: r.maxConcurrent, allowDowngrade: r.allowDowngrade,
    currentPhase: currentPhaseIndex(r), phaseCount: r.phases.length,
    counts: countsOf(r.entries.values()), total: r.entries.size, target: r.target,
  };
}

export function detailOf(book: RolloutBook, state: FleetState, r: RolloutRuntime): RolloutDetail {
  const summary = summaryOf(book, state, r);
  const toVersion = summary.firmwareVersion;
  const entryOf = (e: EntryRuntime): RolloutDeviceEntry => {
    const device = state.devices.get(e.deviceId);
    return {
      mac: e.deviceId, name: device?.name ?? '', state: e.state, at: e.at, reason: e.reason, message: e.message,
      fromVersion: e.fromVersion, toVersion, currentVersion: device?.fwVersion ?? null,
    };
  };
  const byPhase = r.phases.map(() => [] as EntryRuntime[]);
  const unassigned: EntryRuntime[] = [];
  for (const e of r.entries.values()) (e.phase < 0 ? unassigned : (byPhase[e.phase] ?? unassigned)).push(e);
  const confirmMs = r.gate.confirmWithinSec * 1000;
  return {
    ...summary,
    gate: r.gate,
    downloading: book.slotsInUse(r.id),
    peakDownloading: book.peakSlots(r.id),
    unassigned: unassigned.map(entryOf),
    phases: r.phases.map((p, index) => {
      const entries = byPhase[index] ?? [];
      const offers = entries.map((e) => e.offeredAt).filter((t): t is number => t !== null && p.state !== 'passed');
      return {
        index, state: p.state, size: p.size, percent: p.percent, counts: countsOf(entries),
        failures: phaseFailures(entries), maxFailures: maxFailuresOf(r, index, entries.length) + p.failureBase,
        startedAt: p.startedAt, finishedAt: p.finishedAt,
        gateDeadline: offers.length > 0 ? Math.max(...offers) + confirmMs : null,
        devices: entries.sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1)).map(entryOf),
      };
    }),
  };
}
