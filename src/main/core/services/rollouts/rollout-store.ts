/** Rollouts from the database into memory at start (and after a restore). */
import type { RolloutsRepo } from '../../db/repos/rollouts-repo';
import type { RolloutBook } from './rollout-book';
import type { EntryRuntime, PhaseRuntime, RolloutRuntime } from './rollout-types';

export function loadRollouts(repo: RolloutsRepo, book: RolloutBook): void {
  for (const row of repo.all()) {
    const entries = new Map<string, EntryRuntime>();
    for (const d of repo.devicesOf(row.id)) entries.set(d.deviceId, { ...d, cuts: 0 });
    const rollout: RolloutRuntime = {
      ...row,
      phases: Array.isArray(row.phases) ? (row.phases as PhaseRuntime[]) : [],
      entries,
    };
    book.add(rollout);
  }
}
