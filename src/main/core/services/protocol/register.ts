import type { RegisterReply, RegisterRequest } from '../../../../shared/protocol';
import { type DeviceRuntime, intervalOf } from '../../state/runtime';
import { closeClaim, decideClaim, requestClaim } from '../admission/claims';
import { type ServiceContext, emitDevice } from '../context';
import { takeReportedFirmware } from '../firmware/offer';
import { announceLiveness, setStatus } from '../status/status-monitor';
import { deviceIdOrThrow } from '../../ids';
import { issueToken, secretMatches } from '../../secrets';
import { admitNewDevice } from './new-device';

export { assertEnrollmentKey } from './new-device';

function reply(ctx: ServiceContext, device: DeviceRuntime, token?: string): RegisterReply {
  return {
    state: device.state,
    ...(token ? { token } : {}),
    cfgsn: device.cfgsn,
    ...(device.state === 'active' ? { config: device.effective } : {}),
    interval: intervalOf(device, ctx.state.settings),
  };
}

/** A known device's identity and liveness from its registration; with `issued`, its new token. */
function takeRegistration(ctx: ServiceContext, device: DeviceRuntime, body: RegisterRequest, remoteAddress: string, issued: { hash: Buffer; how: string } | null): void {
  const now = ctx.clock.now();
  ctx.atomically(() => {
    ctx.undo.keep(device);
    const firmwareChanged = takeReportedFirmware(ctx, device, body.fw);
    const tokenHash = issued ? issued.hash : device.tokenHash!;
    ctx.repos.devices.updateIdentity({
      id: device.id, ip: body.ip ?? device.ip ?? remoteAddress, ssid: body.ssid ?? device.ssid, fwName: device.fwName,
      fwVersion: device.fwVersion, fwMd5: device.fwMd5,
      chipId: body.chip?.id === undefined ? null : String(body.chip.id), flashSize: body.chip?.flash ?? null,
      tokenHash: tokenHash.toString('hex'), protocol: 'v1', lastSeenAt: now,
    });
    if (issued) {
      closeClaim(ctx, device.id);
      ctx.events.record('claim_accepted', device.id, `${device.name || device.id} registered again with new credentials (${issued.how}, from ${remoteAddress})`, {
        how: issued.how, remoteAddress, previousProtocol: device.protocol,
      });
      device.tokenHash = issued.hash;
    }
    device.ip = body.ip ?? device.ip ?? remoteAddress;
    device.ssid = body.ssid ?? device.ssid;
    device.protocol = 'v1';
    device.lastSeenAt = now;
    if (device.state === 'active') setStatus(ctx, device, 'online');
    ctx.writeBehind.markChanged(device); // OTA outcome and status ride with the next flush
    if (firmwareChanged || issued) emitDevice(ctx, device);
    else announceLiveness(ctx, device, now);
  });
}

/**
 * v1 register (docs/protocol.md §4, §8). Known device with its token → 200 and its state. Known
 * device without a valid token → a claim (see admission/claims.ts): 201 and a new token with the
 * enrollment key or inside a claim window, 202 and a waiting claim under `approve`, else 409.
 * Unknown device → budgets, caps and policy decide, 201 and a token.
 */
export function register(
  ctx: ServiceContext,
  rawId: string,
  body: RegisterRequest,
  bearer: string | null,
  remoteAddress: string,
): { status: 200 | 201 | 202; reply: RegisterReply & { claim?: true } } {
  const id = deviceIdOrThrow(rawId);
  const existing = ctx.state.devices.get(id);
  if (!existing) {
    const { token, hash } = issueToken(ctx.randomBytes);
    const device = admitNewDevice(ctx, id, remoteAddress, {
      protocol: 'v1', tokenHash: hash, ip: body.ip ?? remoteAddress, ssid: body.ssid ?? null, fw: body.fw, chip: body.chip, key: body.key,
    });
    return { status: 201, reply: reply(ctx, device, token) };
  }
  if (existing.tokenHash !== null && secretMatches(bearer, existing.tokenHash)) {
    takeRegistration(ctx, existing, body, remoteAddress, null);
    return { status: 200, reply: reply(ctx, existing) };
  }

  const decision = decideClaim(ctx, existing, body, remoteAddress);
  const issued = issueToken(ctx.randomBytes);
  if (decision.how === 'request') {
    requestClaim(ctx, existing, body, remoteAddress, issued.hash);
    return {
      status: 202,
      reply: { state: 'pending', token: issued.token, cfgsn: existing.cfgsn, interval: intervalOf(existing, ctx.state.settings), claim: true },
    };
  }
  takeRegistration(ctx, existing, body, remoteAddress, { hash: issued.hash, how: decision.how === 'key' ? 'enrollment key' : 'claim window' });
  return { status: 201, reply: reply(ctx, existing, issued.token) };
}
