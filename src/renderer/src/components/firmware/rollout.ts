/** How one device's update to an image reads in the UI: a word, a colour and an icon, never colour alone. */
import { plural } from '../../../../shared/plural';
import type { FirmwareDeviceState } from '../../../../shared/api';

export type RolloutStep = 'running' | 'waiting' | 'legacy' | 'offered' | 'downloading' | 'updated' | 'failed';

export const ROLLOUT_LOOK: Record<RolloutStep, { label: string; type: 'default' | 'info' | 'success' | 'error' | 'warning' }> = {
  waiting: { label: 'waiting for check-in', type: 'default' },
  legacy: { label: 'cannot update: legacy protocol', type: 'warning' },
  offered: { label: 'offered', type: 'info' },
  downloading: { label: 'downloading', type: 'warning' },
  updated: { label: 'updated', type: 'success' },
  running: { label: 'already running it', type: 'success' },
  failed: { label: 'failed', type: 'error' },
};

/** The update state, or — before any offer — whether the device runs that version already. */
export function rolloutStep(row: FirmwareDeviceState, imageVersion: string): RolloutStep {
  const state = row.firmwareUpdate.state;
  if (state !== 'none') return state;
  if (row.fwVersion === imageVersion) return 'running';
  // the legacy protocol has no firmware offer: such a device would wait for ever
  return row.protocol === 'legacy' ? 'legacy' : 'waiting';
}

/** "3 devices · 1 updated · 2 offered", in the order of ROLLOUT_LOOK. */
export function rolloutSummary(rows: FirmwareDeviceState[], imageVersion: string): string {
  const counts = new Map<RolloutStep, number>();
  for (const row of rows) {
    const step = rolloutStep(row, imageVersion);
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  const parts = (Object.keys(ROLLOUT_LOOK) as RolloutStep[])
    .filter((step) => counts.has(step))
    .map((step) => `${counts.get(step)} ${ROLLOUT_LOOK[step].label}`);
  return [plural(rows.length, 'device'), ...parts].join(' · ');
}
