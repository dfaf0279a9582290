/**
 * Legacy protocol of the original design (docs/protocol.md §9): no token, no commands, no firmware.
 * A device that holds a v1 token is refused here, so the unauthenticated legacy calls cannot read
 * or impersonate a v1 device.
 */
import { LEGACY_NOT_REGISTERED, type LegacyRegisterRequest } from '../../../../shared/protocol';
import { FleetError } from '../../errors';
import { deviceIdOrThrow } from '../../ids';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, emitDevice } from '../context';
import { announceLiveness, setStatus } from '../status/status-monitor';
import { createDevice } from './new-device';
import { assertEnrollmentKey } from './register';

function assertLegacyOn(ctx: ServiceContext): void {
  if (!ctx.state.settings.legacyProtocol) throw new FleetError('forbidden', 'the legacy protocol is switched off on this server');
}

function assertNotV1(device: DeviceRuntime): void {
  if (device.tokenHash !== null) throw new FleetError('forbidden', 'this device uses the v1 protocol; legacy calls are refused for it');
}

function seen(ctx: ServiceContext, device: DeviceRuntime, remoteAddress: string): void {
  device.lastSeenAt = ctx.clock.now();
  if (device.ip === null) device.ip = remoteAddress;
  ctx.writeBehind.markChanged(device);
  if (device.state === 'active' && device.status !== 'online') setStatus(ctx, device, 'online');
}

const row = (d: DeviceRuntime) => ({ status: 'OK', id: d.id, ipaddr: d.ip, ssid: d.ssid, state: d.state, cfgsn: d.cfgsn });

export function legacyRegister(ctx: ServiceContext, rawId: string, body: LegacyRegisterRequest, remoteAddress: string): Record<string, unknown> {
  assertLegacyOn(ctx);
  const id = deviceIdOrThrow(rawId);
  const existing = ctx.state.devices.get(id);
  if (!existing) {
    assertEnrollmentKey(ctx, body.key);
    const device = ctx.atomically(() =>
      createDevice(ctx, id, { protocol: 'legacy', tokenHash: null, ip: body.ipaddr ?? remoteAddress, ssid: body.ssid ?? null }),
    );
    return row(device);
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
  return row(existing);
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
