/**
 * Retention of the audit log and of finished commands, by age and by count (settings). Runs in
 * small batches with a turn of the event loop between them, so check-ins are never held up
 * behind one giant DELETE; a run stops after MAX_BATCHES and the next run carries on.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ServiceContext } from './context';

const BATCH = 500;
const MAX_BATCHES = 400;
const DAY_MS = 86_400_000;

export interface PruneResult { events: number; commands: number; claims: number }

async function inBatches(deleteBatch: () => number, budget: { batches: number }): Promise<number> {
  let removed = 0;
  while (budget.batches > 0) {
    budget.batches -= 1;
    const n = deleteBatch();
    removed += n;
    if (n < BATCH) break;
    await nextTurn();
  }
  return removed;
}

export async function pruneHistory(ctx: ServiceContext): Promise<PruneResult> {
  const now = ctx.clock.now();
  const settings = ctx.state.settings;
  const { retention } = ctx.repos;
  const budget = { batches: MAX_BATCHES };

  const eventsKeepFrom = retention.eventKeepFrom(settings.eventRetentionCount);
  const events = await inBatches(() => retention.deleteEvents(eventsKeepFrom, now - settings.eventRetentionDays * DAY_MS, BATCH), budget);
  const commandsKeepFrom = retention.commandKeepFrom(settings.commandRetentionCount);
  const commands = await inBatches(() => retention.deleteCommands(commandsKeepFrom, now - settings.commandRetentionDays * DAY_MS, BATCH), budget);

  let claims = ctx.repos.admission.deleteExpiredClaims(now);
  for (const [id, claim] of ctx.admission.claims) {
    if (claim.expiresAt <= now) {
      ctx.admission.claims.delete(id);
      claims += 1;
    }
  }
  if (claims > 0) ctx.admission.limits.announce(ctx, now);
  return { events, commands, claims };
}
