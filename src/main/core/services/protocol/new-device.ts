import type { RegisterRequest } from '../../../../shared/protocol';
import type { DeviceState } from '../../../../shared/status';
import { newDeviceRuntime } from '../../db/device-codec';
import { FleetError } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import { assertAdmission, spendAdmission } from '../admission/admit';
import { type ServiceContext, emitDevice } from '../context';
import { hashSecret, secretMatches } from '../../secrets';
import { admitPreregistered, preregistrationOf } from './preregistered';

export interface NewDeviceInput {
  protocol: 'v1' | 'legacy';
  tokenHash: Buffer | null;
  ip: string | null;
  ssid: string | null;
  fw?: RegisterRequest['fw'];
  chip?: RegisterRequest['chip'];
  /** enrollment key as sent (policy `key`) */
  key?: string;
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
 * Every route that creates a device comes through here: the policy (a pre-authorised id is
 * admitted as active without key or approval, once), the new-device budgets and the caps; then
 * the device is stored and the budgets are charged.
 */
export function admitNewDevice(ctx: ServiceContext, id: string, remoteAddress: string, input: NewDeviceInput): DeviceRuntime {
  const preauthorized = ctx.admission.preauthorized.has(id);
  // a pre-registered MAC (imported with its name and place) skips approval but not the key
  const preregistered = preregistrationOf(ctx, id);
  if (!preauthorized) assertEnrollmentKey(ctx, input.key);
  const pending = ctx.state.settings.registrationPolicy === 'approve' && !preauthorized && !preregistered;
  assertAdmission(ctx, remoteAddress, { newDevice: true, pending });
  const device = ctx.atomically(() => {
    const created = createDevice(ctx, id, pending ? 'pending' : 'active', input);
    if (preregistered) admitPreregistered(ctx, created, preregistered);
    if (preauthorized) {
      ctx.repos.admission.removePreauthorized(id);
      ctx.events.record('preauthorized', id, `${id} was pre-authorised: admitted on first contact`, { remoteAddress });
    }
    return created;
  });
  if (preauthorized) ctx.admission.preauthorized.delete(id);
  spendAdmission(ctx, remoteAddress, { newDevice: true, pending });
  return device;
}

/**
 * Stores a newly registered device (inside ctx.atomically) and adds it to memory. Its first cfgsn
 * continues after any cfgsn it had before being deleted, so it never sees a number twice.
 */
export function createDevice(ctx: ServiceContext, id: string, state: DeviceState, input: NewDeviceInput): DeviceRuntime {
  const now = ctx.clock.now();
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
  ctx.undo.keepEntry(ctx.state.devices, id);
  ctx.state.devices.set(id, device);
  emitDevice(ctx, device);
  return device;
}
