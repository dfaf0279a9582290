/**
 * Budgets and caps that refused something recently: counted per kind, recorded in the audit log
 * (collapsed: one entry per kind and minute, with a count) and announced to the UI, which shows a
 * banner while a limit is being hit.
 */
import type { LimitHit, LimitKind } from '../../../../shared/api/claims';
import type { ServiceContext } from '../context';

/** A limit counts as "being hit" for this long after its last refusal. */
export const RECENT_LIMIT_MS = 10 * 60_000;
/** At most one `limits` delta a second, however fast refusals come. */
const DELTA_EVERY_MS = 1000;

export class LimitTracker {
  private readonly hits = new Map<LimitKind, LimitHit>();
  private lastDeltaAt = -Infinity;

  /** `times`: refusals counted by the caller since its last report (one event and delta for all). */
  hit(ctx: ServiceContext, kind: LimitKind, message: string, network?: string, times = 1): void {
    const now = ctx.clock.now();
    let hit = this.hits.get(kind);
    if (!hit || now - hit.lastAt > RECENT_LIMIT_MS) {
      hit = { kind, message, count: 0, firstAt: now, lastAt: now };
      this.hits.set(kind, hit);
    }
    hit.count += times;
    hit.lastAt = now;
    hit.message = message;
    if (network !== undefined) hit.network = network;
    ctx.events.recordLater('limit_reached', null, message, { kind, ...(network !== undefined ? { network } : {}) }, `limit:${kind}`);
    this.announce(ctx, now);
  }

  recent(now: number): LimitHit[] {
    return [...this.hits.values()].filter((h) => now - h.lastAt <= RECENT_LIMIT_MS).map((h) => ({ ...h }));
  }

  announce(ctx: ServiceContext, now = ctx.clock.now()): void {
    if (now - this.lastDeltaAt < DELTA_EVERY_MS) return;
    this.lastDeltaAt = now;
    ctx.bus.emit({ type: 'limits' });
  }
}
