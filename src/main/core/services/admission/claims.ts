/**
 * Claims on an existing identity. A registration for a known MAC without its valid token (a
 * legacy device moving to v1, reset credentials, a lost flash — or an impostor) never gets a
 * token on its own: the enrollment key admits it; a claim window the operator opened (by
 * resetting the device's credentials) admits it once; under `approve` it waits as a claim the
 * operator decides on; anything else is refused and recorded.
 */
import type { RegisterRequest } from '../../../../shared/protocol';
import type { ClaimRow } from '../../db/repos/admission-repo';
import { FleetError } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import type { Author } from '../contracts';
import { hashSecret, secretMatches } from '../../secrets';
import { assertAdmission, spendAdmission } from './admit';

/** A waiting claim the operator never decides on lapses after a week. */
const CLAIM_REQUEST_TTL_MS = 7 * 86_400_000;

export type ClaimDecision = { how: 'key' | 'window' } | { how: 'request' };

const label = (d: DeviceRuntime): string => (d.name ? `${d.name} (${d.id})` : d.id);

export function liveClaim(ctx: ServiceContext, deviceId: string, now = ctx.clock.now()): ClaimRow | undefined {
  const claim = ctx.admission.claims.get(deviceId);
  return claim && claim.expiresAt > now ? claim : undefined;
}

/** How a registration without a valid token for an existing device may go on; throws the refusal. */
export function decideClaim(ctx: ServiceContext, device: DeviceRuntime, body: RegisterRequest, remoteAddress: string): ClaimDecision {
  const { enrollmentKey, registrationPolicy } = ctx.state.settings;
  if (enrollmentKey !== '' && body.key !== undefined && secretMatches(body.key, hashSecret(enrollmentKey))) return { how: 'key' };
  if (liveClaim(ctx, device.id)?.kind === 'window') return { how: 'window' };
  if (registrationPolicy === 'approve') return { how: 'request' };
  ctx.events.recordLater('claim_refused', device.id, `registration for ${label(device)} without its token refused (from ${remoteAddress})`, {
    remoteAddress, ip: body.ip ?? null, protocol: device.protocol,
  });
  const why = device.protocol === 'legacy'
    ? 'this device id is registered through the legacy protocol'
    : 'this device id is registered with another token';
  throw new FleetError('conflict', `${why}; it can register again only with the enrollment key, within a claim window the operator opens by resetting its credentials, or as a claim the operator approves`);
}

/** Under `approve`: the claimant gets a token that becomes the device's once the operator approves. */
export function requestClaim(ctx: ServiceContext, device: DeviceRuntime, body: RegisterRequest, remoteAddress: string, tokenHash: Buffer): void {
  const replacing = liveClaim(ctx, device.id)?.kind === 'request';
  assertAdmission(ctx, remoteAddress, { newDevice: false, pending: !replacing });
  const now = ctx.clock.now();
  const claim: ClaimRow = {
    deviceId: device.id, kind: 'request', openedAt: now, expiresAt: now + CLAIM_REQUEST_TTL_MS, tokenHash: tokenHash.toString('hex'),
    remoteAddress, details: { ip: body.ip ?? null, fw: body.fw ? { name: body.fw.name, version: body.fw.version } : null, chip: body.chip ?? null },
  };
  ctx.atomically(() => {
    ctx.repos.admission.saveClaim(claim);
    ctx.events.record('claim_requested', device.id, `${label(device)} is claimed by a registration from ${remoteAddress}; waiting for approval`, {
      remoteAddress, ip: claim.details!.ip, replacing,
    });
  });
  ctx.admission.claims.set(device.id, claim);
  spendAdmission(ctx, remoteAddress, { newDevice: false, pending: !replacing });
  ctx.admission.limits.announce(ctx);
}

/** The claimant of a waiting request checks in with its token: it is told to wait. */
export function claimantWaiting(ctx: ServiceContext, deviceId: string, bearer: string | null): boolean {
  const claim = liveClaim(ctx, deviceId);
  return claim?.kind === 'request' && claim.tokenHash !== null && secretMatches(bearer, Buffer.from(claim.tokenHash, 'hex'));
}

/** Reset credentials: the next registration for this device (and only it) is accepted until the window closes. */
export function openClaimWindow(ctx: ServiceContext, device: DeviceRuntime): ClaimRow {
  const now = ctx.clock.now();
  const claim: ClaimRow = {
    deviceId: device.id, kind: 'window', openedAt: now, expiresAt: now + ctx.state.settings.claimWindowMinutes * 60_000,
    tokenHash: null, remoteAddress: null, details: null,
  };
  ctx.repos.admission.saveClaim(claim);
  ctx.admission.claims.set(device.id, claim);
  return claim;
}

/** A window used or a request decided: gone (call inside the caller's transaction). */
export function closeClaim(ctx: ServiceContext, deviceId: string): void {
  ctx.repos.admission.deleteClaim(deviceId);
  ctx.admission.claims.delete(deviceId);
}

/** Operator approves a waiting claim: the claimant's token becomes the device's, the old one stops working. */
export function approveClaim(ctx: ServiceContext, device: DeviceRuntime, author: Author): void {
  const claim = liveClaim(ctx, device.id);
  if (claim?.kind !== 'request' || claim.tokenHash === null) throw new FleetError('not_found', `no claim on ${device.id} is waiting for approval`);
  const stored = ctx.repos.devices.get(device.id);
  const ip = claim.details?.ip ?? device.ip;
  ctx.atomically(() => {
    ctx.repos.devices.updateIdentity({
      id: device.id, ip, ssid: device.ssid, fwName: device.fwName, fwVersion: device.fwVersion, fwMd5: device.fwMd5,
      chipId: stored?.chip_id ?? null, flashSize: stored?.flash_size ?? null, tokenHash: claim.tokenHash, protocol: 'v1', lastSeenAt: device.lastSeenAt,
    });
    closeClaim(ctx, device.id);
    ctx.events.record('claim_approved', device.id, `claim on ${label(device)} from ${claim.remoteAddress ?? '?'} approved by ${author}; the old token no longer works`, {
      author, remoteAddress: claim.remoteAddress,
    });
    device.tokenHash = Buffer.from(claim.tokenHash!, 'hex');
    device.protocol = 'v1';
    device.ip = ip;
  });
  ctx.admission.pendingCache.at = -Infinity;
}

/** Operator rejects a waiting claim or closes a claim window. */
export function rejectClaim(ctx: ServiceContext, device: DeviceRuntime, author: Author): void {
  const claim = liveClaim(ctx, device.id);
  if (!claim) throw new FleetError('not_found', `no open claim on ${device.id}`);
  ctx.atomically(() => {
    closeClaim(ctx, device.id);
    const what = claim.kind === 'window' ? 'claim window closed' : `claim from ${claim.remoteAddress ?? '?'} rejected`;
    ctx.events.record('claim_rejected', device.id, `${label(device)}: ${what} by ${author}`, { author, kind: claim.kind });
  });
  ctx.admission.pendingCache.at = -Infinity;
}
