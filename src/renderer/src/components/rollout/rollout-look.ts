/** How rollouts, phases and devices read in the UI: a word and a colour, never colour alone. */
import type {
  RolloutCounts, RolloutDeviceEntry, RolloutDeviceState, RolloutPhase, RolloutPhaseState, RolloutState, RolloutSummary,
} from '../../../../shared/api/rollouts';

export type TagType = 'default' | 'info' | 'success' | 'error' | 'warning';

export const DEVICE_LOOK: Record<RolloutDeviceState, { label: string; type: TagType }> = {
  queued: { label: 'queued', type: 'default' },
  offered: { label: 'offered', type: 'info' },
  downloading: { label: 'downloading', type: 'info' },
  verifying: { label: 'verifying', type: 'info' },
  rebooting: { label: 'rebooting', type: 'info' },
  on_trial: { label: 'on trial', type: 'warning' },
  updated: { label: 'updated', type: 'success' },
  rolled_back: { label: 'rolled back', type: 'error' },
  failed: { label: 'failed', type: 'error' },
  skipped: { label: 'skipped', type: 'default' },
};

export const PHASE_LOOK: Record<RolloutPhaseState, { label: string; type: TagType }> = {
  pending: { label: 'not started', type: 'default' },
  running: { label: 'updating', type: 'info' },
  gating: { label: 'at the health gate', type: 'info' },
  passed: { label: 'passed', type: 'success' },
  paused: { label: 'paused', type: 'warning' },
  rolled_back: { label: 'rolled back', type: 'error' },
  aborted: { label: 'aborted', type: 'default' },
};

export const ROLLOUT_LOOK: Record<RolloutState, { label: string; type: TagType }> = {
  running: { label: 'running', type: 'info' },
  paused: { label: 'paused', type: 'warning' },
  done: { label: 'done', type: 'success' },
  aborted: { label: 'aborted', type: 'default' },
};

/** Skipped devices say why; a legacy device "cannot update" instead of looking like it waits. */
export function deviceLabel(entry: Pick<RolloutDeviceEntry, 'state' | 'reason'>): { label: string; type: TagType } {
  if (entry.state === 'skipped') {
    if (entry.reason === 'legacy_cannot_update') return { label: 'cannot update: legacy protocol', type: 'warning' };
    if (entry.reason === 'excluded') return { label: 'excluded', type: 'default' };
    if (entry.reason === 'pinned') return { label: 'skipped: pinned', type: 'default' };
    if (entry.reason === 'already_on_image') return { label: 'already on the image', type: 'success' };
    if (entry.reason === 'does_not_fit') return { label: 'skipped: image does not fit', type: 'warning' };
    if (entry.reason === 'downgrade') return { label: 'skipped: would downgrade', type: 'default' };
  }
  return DEVICE_LOOK[entry.state];
}

/** Segments of a progress bar, in the order a healthy update passes: done, failed, busy, waiting, skipped. */
export interface BarSegment { key: string; label: string; count: number; colour: 'success' | 'error' | 'info' | 'warning' | 'idle' | 'skip' }

export function barSegments(counts: RolloutCounts): BarSegment[] {
  const busy = counts.offered + counts.downloading + counts.verifying + counts.rebooting;
  return [
    { key: 'updated', label: 'updated', count: counts.updated, colour: 'success' as const },
    { key: 'on_trial', label: 'on trial', count: counts.on_trial, colour: 'warning' as const },
    { key: 'busy', label: 'updating', count: busy, colour: 'info' as const },
    { key: 'failed', label: 'failed or rolled back', count: counts.failed + counts.rolled_back, colour: 'error' as const },
    { key: 'queued', label: 'queued', count: counts.queued, colour: 'idle' as const },
    { key: 'skipped', label: 'skipped', count: counts.skipped, colour: 'skip' as const },
  ].filter((s) => s.count > 0);
}

export function countsTotal(counts: RolloutCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** "canary · 5 devices", "10 %", "the rest". */
export function phaseTitle(phase: Pick<RolloutPhase, 'index' | 'size' | 'percent'>, phaseCount: number): string {
  const what = phase.size !== null ? `${phase.size} device${phase.size === 1 ? '' : 's'}` : phase.percent !== null ? `${phase.percent} %` : '';
  const name = phase.index === 0 && phaseCount > 1 ? 'Canary' : phase.index === phaseCount - 1 && phaseCount > 1 ? 'The rest' : `Phase ${phase.index + 1}`;
  return what && !(name === 'The rest' && phase.percent === 100) ? `${name} · ${what}` : name;
}

/** "profile 3", "tag lab", "4 devices", "every device on an older version". */
export function targetText(target: RolloutSummary['target'], profileName?: (id: number) => string | undefined): string {
  if (target.devices) return `${target.devices.length} chosen device${target.devices.length === 1 ? '' : 's'}`;
  if (target.profileId !== undefined) return `profile ${profileName?.(target.profileId) ?? `#${target.profileId}`}`;
  if (target.tag !== undefined) return `tag ${target.tag}`;
  return 'every device on an older version';
}

/** A phase reads "paused" while the rollout is paused in it, "aborted" when it never ran. */
export function shownPhaseState(state: RolloutPhaseState, rollout: RolloutState): RolloutPhaseState {
  if (rollout === 'paused' && (state === 'running' || state === 'gating')) return 'paused';
  if (rollout === 'aborted' && (state === 'pending' || state === 'running' || state === 'gating')) return 'aborted';
  return state;
}

/** "in 9 min", "in 40 s", "any moment" for a deadline ahead; "passed" behind. */
export function untilText(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  if (seconds < 0) return 'passed';
  if (seconds < 5) return 'any moment';
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`;
}
