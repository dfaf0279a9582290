import type { RegisterReply, RegisterRequest } from '../../../../shared/protocol';
import { FleetError } from '../../errors';
import { type DeviceRuntime, intervalOf } from '../../state/runtime';
import { type ServiceContext, emitDevice } from '../context';
import { takeReportedFirmware } from '../firmware/offer';
import { announceLiveness, setStatus } from '../status/status-monitor';
import { deviceIdOrThrow } from '../../ids';
import { hashSecret, issueToken, secretMatches } from '../../secrets';
import { createDevice } from './new-device';

function reply(ctx: ServiceContext, device: DeviceRuntime, token?: string): RegisterReply {
  return {
    state: device.state,
    ...(token ? { token } : {}),
    cfgsn: device.cfgsn,
    ...(device.state === 'active' ? { config: device.effective } : {}),
    interval: intervalOf(device, ctx.state.settings),
  };
}

/** The enrollment key check of the `key` policy (constant time; an empty key admits nobody). */
export function assertEnrollmentKey(ctx: ServiceContext, key: string | undefined): void {
  const { registrationPolicy, enrollmentKey } = ctx.state.settings;
  if (registrationPolicy !== 'key') return;
  if (enrollmentKey === '' || !secretMatches(key, hashSecret(enrollmentKey))) {
    throw new FleetError('unauthorized', 'this server requires a valid enrollment key to register');
  }
}

/**
 * v1 register (docs/protocol.md §4, §8). Known device with its token → 200 and its state; known
 * device whose credentials were reset (or a legacy device moving to v1) → 201 and a new token;
 * known device without a valid token → 409; unknown device → policy decides, 201 and a token.
 */
export function register(
  ctx: ServiceContext,
  rawId: string,
  body: RegisterRequest,
  bearer: string | null,
  remoteAddress: string,
): { status: 200 | 201; reply: RegisterReply } {
  const id = deviceIdOrThrow(rawId);
  const existing = ctx.state.devices.get(id);
  if (existing && existing.tokenHash !== null && !secretMatches(bearer, existing.tokenHash)) {
    throw new FleetError('conflict', 'this device id is registered with another token; the operator can reset its credentials');
  }
  if (!existing) {
    assertEnrollmentKey(ctx, body.key);
    const { token, hash } = issueToken(ctx.randomBytes);
    const device = ctx.atomically(() =>
      createDevice(ctx, id, {
        protocol: 'v1', tokenHash: hash, ip: body.ip ?? remoteAddress, ssid: body.ssid ?? null,
        fw: body.fw, chip: body.chip,
      }),
    );
    return { status: 201, reply: reply(ctx, device, token) };
  }

  const issued = existing.tokenHash === null ? issueToken(ctx.randomBytes) : null;
  const now = ctx.clock.now();
  ctx.atomically(() => {
    ctx.undo.keep(existing);
    const firmwareChanged = takeReportedFirmware(ctx, existing, body.fw);
    ctx.repos.devices.updateIdentity({
      id, ip: body.ip ?? existing.ip ?? remoteAddress, ssid: body.ssid ?? existing.ssid, fwName: existing.fwName,
      fwVersion: existing.fwVersion, fwMd5: existing.fwMd5,
      chipId: body.chip?.id === undefined ? null : String(body.chip.id), flashSize: body.chip?.flash ?? null,
      tokenHash: issued ? issued.hash.toString('hex') : existing.tokenHash!.toString('hex'), protocol: 'v1', lastSeenAt: now,
    });
    if (issued) {
      ctx.events.record('registered', id, `${existing.name || id} registered again with new credentials`, { reregistered: true });
      existing.tokenHash = issued.hash;
    }
    existing.ip = body.ip ?? existing.ip ?? remoteAddress;
    existing.ssid = body.ssid ?? existing.ssid;
    existing.protocol = 'v1';
    existing.lastSeenAt = now;
    if (existing.state === 'active') setStatus(ctx, existing, 'online');
    ctx.writeBehind.markChanged(existing); // OTA outcome and status ride with the next flush
    if (firmwareChanged || issued) emitDevice(ctx, existing);
    else announceLiveness(ctx, existing, now);
  });
  return { status: issued ? 201 : 200, reply: reply(ctx, existing, issued?.token) };
}
