import type { RegisterRequest } from '../../../../shared/protocol';
import { newDeviceRuntime } from '../../db/device-codec';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, emitDevice } from '../context';
import { admitPreregistered, preregistrationOf } from './preregistered';

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
  const preregistered = preregistrationOf(ctx, id);
  const state = ctx.state.settings.registrationPolicy === 'approve' && !preregistered ? 'pending' : 'active';
  const cfgsn = ctx.repos.devices.watermark(id) + 1;
  const device = newDeviceRuntime({
    id, state, tokenHash: input.tokenHash, protocol: input.protocol, createdAt: now, lastSeenAt: now, cfgsn,
    status: state === 'active' ? 'online' : state, ip: input.ip, ssid: input.ssid,
    fwName: input.fw?.name ?? null, fwVersion: input.fw?.version ?? null, fwMd5: input.fw?.md5?.toLowerCase() ?? null,
  });
  ctx.repos.devices.insert(device, {
    chipId: input.chip?.id === undefined ? null : String(input.chip.id), flashSize: input.chip?.flash ?? null,
  });
  ctx.events.record('registered', id, `new device ${id} registered (${state}, ${input.protocol})`, {
    state, protocol: input.protocol, ip: device.ip,
  });
  ctx.state.devices.set(id, device);
  if (preregistered) admitPreregistered(ctx, device, preregistered);
  emitDevice(ctx, device);
  return device;
}
