import type { BulkRequest } from '../../../../shared/api';
import type { BulkOutcome } from '../../../../shared/api/bulk-undo';
import { normalizeDeviceId } from '../../../../shared/device-id';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import type { Author } from '../contracts';
import { enqueueCommand } from '../commands/command-service';
import { profileOrThrow } from '../profile-view';
import { keyPathOrThrow, removeConfigPath, setConfigPath } from './bulk-config';
import { UndoCollector } from './bulk-undo';
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
 * Profile, tag and config changes come back with what undoes them.
 */
export function runBulk(ctx: ServiceContext, request: BulkRequest, author: Author): BulkOutcome {
  const { op } = request;
  if (op.action === 'setProfile' && op.profileId !== null) profileOrThrow(ctx, op.profileId);
  if (op.action === 'setConfigKey') keyPathOrThrow(op.key);
  const devices = targets(ctx, request);
  const done: string[] = [];
  const undo = new UndoCollector();
  ctx.atomically(() => {
    for (const device of devices) {
      if (applyOne(ctx, device, op, author, undo)) done.push(device.id);
    }
  });
  const reversible = undo.result();
  return reversible ? { affected: done.length, ids: done, undo: reversible } : { affected: done.length, ids: done };
}

function applyOne(ctx: ServiceContext, device: DeviceRuntime, op: BulkRequest['op'], author: Author, undo: UndoCollector): boolean {
  switch (op.action) {
    case 'setProfile': {
      const previous = device.profileId;
      if (previous === op.profileId) return false;
      patchDevice(ctx, device, { profileId: op.profileId }, author);
      undo.profile(device.id, previous, op.profileId);
      return true;
    }
    case 'addTags': {
      const added = [...new Set(op.tags.map((t) => t.trim()))].filter((t) => !device.tags.includes(t));
      setTags(ctx, device, op.tags, []);
      undo.tagChange(device.id, added, []);
      return true;
    }
    case 'removeTags': {
      const removed = [...new Set(op.tags.map((t) => t.trim()))].filter((t) => device.tags.includes(t));
      setTags(ctx, device, [], op.tags);
      undo.tagChange(device.id, [], removed);
      return true;
    }
    case 'setConfigKey': {
      const revision = setConfigPath(ctx, device, keyPathOrThrow(op.key), op.value, author);
      undo.revision(revision);
      return revision !== null;
    }
    case 'removeConfigKey': {
      const revision = removeConfigPath(ctx, device, op.key, author);
      undo.revision(revision);
      return revision !== null;
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
