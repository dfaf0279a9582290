/**
 * Legacy protocol of the original design (docs/protocol.md §9): no token, no commands, no firmware.
 * A device that speaks v1 is refused here whatever its token state (reset credentials included),
 * so the unauthenticated legacy calls can neither read nor impersonate it.
 *
 * Replies keep the original server's shapes field for field, because old firmware parses them:
 * a new device gets `{status:'OK', message:'Device Registed'}` (sic), a known one its row
 * (`deviceid, name, lastseen, ssid, ipaddr, cfgsn, flags, data, datec`); extra fields are ours.
 */
import { LEGACY_NOT_REGISTERED, type LegacyRegisterRequest } from '../../../../shared/protocol';
import { FleetError } from '../../errors';
import { deviceIdOrThrow } from '../../ids';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, emitDevice } from '../context';
import { announceLiveness, setStatus } from '../status/status-monitor';
import { admitNewDevice } from './new-device';

/** The original server's words, spelling included. */
export const LEGACY_REGISTERED_MESSAGE = 'Device Registed';

function assertLegacyOn(ctx: ServiceContext): void {
  if (!ctx.state.settings.legacyProtocol) throw new FleetError('forbidden', 'the legacy protocol is switched off on this server');
}

function assertNotV1(device: DeviceRuntime): void {
  if (device.protocol === 'v1') throw new FleetError('forbidden', 'this device uses the v1 protocol; legacy calls are refused for it');
}

function seen(ctx: ServiceContext, device: DeviceRuntime, remoteAddress: string): void {
  device.lastSeenAt = ctx.clock.now();
  if (device.ip === null) device.ip = remoteAddress;
  ctx.writeBehind.markChanged(device);
  if (device.state === 'active' && device.status !== 'online') setStatus(ctx, device, 'online');
}

/** `datec` as the original's SQLite CURRENT_TIMESTAMP wrote it: `YYYY-MM-DD HH:MM:SS` (UTC). */
export function legacyDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The original row of a known device (its `lastseen` was JavaScript's Date.toString()). */
function knownRow(d: DeviceRuntime): Record<string, unknown> {
  return {
    deviceid: d.id, name: d.name, lastseen: d.lastSeenAt === null ? null : new Date(d.lastSeenAt).toString(),
    ssid: d.ssid, ipaddr: d.ip, cfgsn: d.cfgsn, flags: 0, data: d.state === 'active' ? d.effective : {}, datec: legacyDate(d.createdAt),
    status: 'OK', id: d.id, state: d.state,
  };
}

export function legacyRegister(ctx: ServiceContext, rawId: string, body: LegacyRegisterRequest, remoteAddress: string): Record<string, unknown> {
  assertLegacyOn(ctx);
  const id = deviceIdOrThrow(rawId);
  const existing = ctx.state.devices.get(id);
  if (!existing) {
    const device = admitNewDevice(ctx, id, remoteAddress, {
      protocol: 'legacy', tokenHash: null, ip: body.ipaddr ?? remoteAddress, ssid: body.ssid ?? null, key: body.key,
    });
    return { status: 'OK', message: LEGACY_REGISTERED_MESSAGE, id: device.id, ipaddr: device.ip, ssid: device.ssid, state: device.state, cfgsn: device.cfgsn };
  }
  assertNotV1(existing);
  let visible = false;
  if (body.ipaddr !== undefined && body.ipaddr !== existing.ip) {
    existing.ip = body.ipaddr;
    visible = true;
  }
  if (body.ssid !== undefined && body.ssid !== existing.ssid) {
    existing.ssid = body.ssid;
    visible = true;
  }
  seen(ctx, existing, remoteAddress);
  if (visible) emitDevice(ctx, existing);
  else announceLiveness(ctx, existing, existing.lastSeenAt!);
  return knownRow(existing);
}

/**
 * Legacy devices never report what they applied; handing out the config is the best knowledge
 * there is, so the delivered cfgsn counts as applied (and the device shows "in sync").
 */
export function legacyConfig(ctx: ServiceContext, rawId: string, remoteAddress: string): Record<string, unknown> {
  assertLegacyOn(ctx);
  const device = ctx.state.devices.get(deviceIdOrThrow(rawId));
  if (!device) return { ...LEGACY_NOT_REGISTERED };
  assertNotV1(device);
  if (device.state !== 'active') throw new FleetError('forbidden', `device is ${device.state}`);
  seen(ctx, device, remoteAddress);
  if (device.cfgsnReported !== device.cfgsn) {
    device.cfgsnReported = device.cfgsn;
    ctx.events.recordLater('config_applied', device.id, `${device.name || device.id} fetched config ${device.cfgsn} (legacy)`, {
      cfgsn: device.cfgsn,
    });
    emitDevice(ctx, device);
  } else {
    announceLiveness(ctx, device, device.lastSeenAt!);
  }
  return { cfgsn: device.cfgsn, data: device.effective };
}
