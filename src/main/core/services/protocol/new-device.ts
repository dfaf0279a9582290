import { mergeConfig } from '../../../../shared/config';
import type { RegisterRequest } from '../../../../shared/protocol';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, emitDevice } from '../context';

/**
 * Stores a newly registered device (inside ctx.atomically) and adds it to memory. Its first cfgsn
 * continues after any cfgsn it had before being deleted, so it never sees a number twice.
 */
export function createDevice(
  ctx: ServiceContext,
  id: string,
  input: { protocol: 'v1' | 'legacy'; tokenHash: Buffer | null; ip: string | null; ssid: string | null; fw?: RegisterRequest['fw']; chip?: RegisterRequest['chip'] },
): DeviceRuntime {
  const now = ctx.clock.now();
  const state = ctx.state.settings.registrationPolicy === 'approve' ? 'pending' : 'active';
  const cfgsn = ctx.repos.devices.watermark(id) + 1;
  const device: DeviceRuntime = {
    id, name: '', location: '', profileId: null, tags: [], state, tokenHash: input.tokenHash, protocol: input.protocol,
    createdAt: now, lastSeenAt: now, ip: input.ip, ssid: input.ssid, rssi: null, heap: null, uptime: null,
    fwName: input.fw?.name ?? null, fwVersion: input.fw?.version ?? null, fwMd5: input.fw?.md5?.toLowerCase() ?? null,
    overrides: {}, effective: mergeConfig({}, {}), cfgsn, cfgsnReported: null, checkinInterval: null, firmwareId: null,
    status: state === 'active' ? 'online' : state, ota: { state: 'none', firmwareId: null }, lastTelemetryAt: 0, lastLivenessDeltaAt: 0, openCommands: [],
  };
  ctx.repos.devices.insert({
    id, state, tokenHash: input.tokenHash?.toString('hex') ?? null, protocol: input.protocol, createdAt: now,
    ip: device.ip, ssid: device.ssid, fwName: device.fwName, fwVersion: device.fwVersion, fwMd5: device.fwMd5,
    chipId: input.chip?.id === undefined ? null : String(input.chip.id), flashSize: input.chip?.flash ?? null,
    cfgsn, status: device.status, lastSeenAt: now,
  });
  ctx.events.record('registered', id, `new device ${id} registered (${state}, ${input.protocol})`, {
    state, protocol: input.protocol, ip: device.ip,
  });
  ctx.state.devices.set(id, device);
  emitDevice(ctx, device);
  return device;
}
