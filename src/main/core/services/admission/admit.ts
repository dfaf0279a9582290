/**
 * The gate every route that creates something for a stranger passes (v1 register, legacy
 * register, claim requests): the new-device budgets first (cheap, and what a flood hits), then
 * the fleet cap and the pending cap. Refusals are errors the device understands (429 with
 * Retry-After, 503 capacity_reached), events, and a banner for the operator.
 */
import { FleetError } from '../../errors';
import type { ServiceContext } from '../context';

/** Pending devices are counted at most once a second (plus what was admitted since). */
const PENDING_RECOUNT_MS = 1000;

function pendingCount(ctx: ServiceContext, now: number): number {
  const cache = ctx.admission.pendingCache;
  if (now - cache.at >= PENDING_RECOUNT_MS) {
    let pending = 0;
    for (const device of ctx.state.devices.values()) if (device.state === 'pending') pending += 1;
    for (const claim of ctx.admission.claims.values()) if (claim.kind === 'request') pending += 1;
    cache.at = now;
    cache.value = pending;
  }
  return cache.value;
}

export interface Admission { newDevice: boolean; pending: boolean }

/** Throws when a budget or cap refuses; spends nothing (see spendAdmission). */
export function assertAdmission(ctx: ServiceContext, remoteAddress: string, what: Admission): void {
  const now = ctx.clock.now();
  const { fleetCap, pendingCap } = ctx.state.settings;
  const refusal = ctx.admission.budgets.check(remoteAddress, now);
  if (refusal) {
    ctx.admission.limits.hit(ctx, refusal.kind, refusal.error.message, refusal.network);
    throw refusal.error;
  }
  if (what.newDevice && ctx.state.devices.size >= fleetCap) {
    const message = `the fleet is full (${fleetCap} devices): delete devices or raise the fleet cap in Settings`;
    ctx.admission.limits.hit(ctx, 'fleet_cap', message);
    throw new FleetError('capacity_reached', message, { limit: 'fleet_cap', cap: fleetCap }, 3600);
  }
  if (what.pending && pendingCount(ctx, now) >= pendingCap) {
    const message = `too many devices and claims are waiting for approval (${pendingCap}): approve or delete some, or raise the pending cap in Settings`;
    ctx.admission.limits.hit(ctx, 'pending_cap', message);
    throw new FleetError('capacity_reached', message, { limit: 'pending_cap', cap: pendingCap }, 600);
  }
}

/** Counts an admission that happened against the budgets (and the pending count). */
export function spendAdmission(ctx: ServiceContext, remoteAddress: string, what: Admission): void {
  const now = ctx.clock.now();
  ctx.admission.budgets.spend(remoteAddress, now);
  if (what.pending) ctx.admission.pendingCache.value += 1;
}
