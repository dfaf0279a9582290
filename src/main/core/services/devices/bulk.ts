import type { BulkRequest, BulkResult } from '../../../../shared/api';
import { canonicalJson } from '../../../../shared/config';
import { normalizeDeviceId } from '../../../../shared/device-id';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import type { Author } from '../contracts';
import { enqueueCommand } from '../commands/command-service';
import { setOverrides } from '../config/config-service';
import { profileOrThrow } from '../profile-view';
import { changeState, patchDevice, removeDevice, setTags } from './device-actions';

function targets(ctx: ServiceContext, request: BulkRequest): DeviceRuntime[] {
  const ids = 'ids' in request.target
    ? request.target.ids.map((raw) => normalizeDeviceId(raw))
    : ctx.repos.deviceList.idsMatching(request.target.filter);
  const devices: DeviceRuntime[] = [];
  for (const id of new Set(ids)) {
    const device = id === null ? undefined : ctx.state.devices.get(id);
    if (device) devices.push(device); // unknown ids are skipped: the result lists what was done
  }
  return devices;
}

/**
 * Applies one operation to many devices in one transaction. A device the operation does not
 * apply to (approving an active device, a no-op config change) is skipped, not an error.
 */
export function runBulk(ctx: ServiceContext, request: BulkRequest, author: Author): BulkResult {
  const { op } = request;
  if (op.action === 'setProfile' && op.profileId !== null) profileOrThrow(ctx, op.profileId);
  const devices = targets(ctx, request);
  const done: string[] = [];
  ctx.atomically(() => {
    for (const device of devices) {
      if (applyOne(ctx, device, op, author)) done.push(device.id);
    }
  });
  return { affected: done.length, ids: done };
}

function applyOne(ctx: ServiceContext, device: DeviceRuntime, op: BulkRequest['op'], author: Author): boolean {
  switch (op.action) {
    case 'setProfile':
      if (device.profileId === op.profileId) return false;
      patchDevice(ctx, device, { profileId: op.profileId }, author);
      return true;
    case 'addTags':
      setTags(ctx, device, op.tags, []);
      return true;
    case 'removeTags':
      setTags(ctx, device, [], op.tags);
      return true;
    case 'setConfigKey': {
      const value = op.value;
      if (op.key in device.overrides && canonicalJson(device.overrides[op.key]!) === canonicalJson(value)) return false;
      const overrides = { ...device.overrides, [op.key]: value };
      setOverrides(ctx, device, overrides, author, `bulk set ${op.key}`);
      return true;
    }
    case 'removeConfigKey': {
      if (!(op.key in device.overrides)) return false;
      const { [op.key]: _removed, ...overrides } = device.overrides;
      setOverrides(ctx, device, overrides, author, `bulk remove ${op.key}`);
      return true;
    }
    case 'command':
      if (device.state === 'blocked') return false;
      enqueueCommand(ctx, device, { name: op.name, args: op.args }, author);
      return true;
    case 'approve':
      if (device.state !== 'pending') return false;
      changeState(ctx, device, 'active', author, 'approved');
      return true;
    case 'block':
      if (device.state === 'blocked') return false;
      changeState(ctx, device, 'blocked', author, 'blocked');
      return true;
    case 'delete':
      removeDevice(ctx, device, author);
      return true;
  }
}
