import type { DeviceDetail, DeviceList, DeviceListQuery } from '../../../../shared/api';
import { FleetError } from '../../errors';
import { copyLiveness, summaryOf } from '../../db/device-codec';
import { type DeviceRuntime, assignedFirmwareId } from '../../state/runtime';
import { type ServiceContext, deviceOrThrow } from '../context';
import type { Author, DeviceAdminService } from '../contracts';
import { profileOrThrow } from '../profile-view';
import { runBulk } from './bulk';
import { undoBulk } from './bulk-undo';
import { changeState, patchDevice, removeDevice, resetCredentials } from './device-actions';

function detail(ctx: ServiceContext, device: DeviceRuntime): DeviceDetail {
  const stored = ctx.repos.devices.get(device.id);
  const assigned = assignedFirmwareId(device, ctx.state);
  const firmware = assigned === null ? undefined : ctx.state.firmware.get(assigned);
  return {
    ...summaryOf(device, ctx.state),
    notes: stored?.notes ?? '',
    fwName: device.fwName,
    fwMd5: device.fwMd5,
    chipId: stored?.chip_id ?? null,
    flashSize: stored?.flash_size ?? null,
    assignedFirmware: firmware ? { ...firmware } : null,
    firmwareUpdate: {
      state: device.ota.state,
      ...(device.ota.message !== undefined ? { message: device.ota.message } : {}),
      ...(device.ota.at !== undefined ? { at: device.ota.at } : {}),
    },
  };
}

export function createDeviceAdminService(ctx: ServiceContext): DeviceAdminService {
  /** One device action in its own transaction, answering with the fresh detail. */
  const act = (id: string, action: (device: DeviceRuntime) => void): DeviceDetail => {
    const device = deviceOrThrow(ctx, id);
    ctx.atomically(() => action(device));
    return detail(ctx, device);
  };

  return {
    /**
     * SQL over the devices table, behind the read barrier, so filters and counts are exact; last-seen
     * and readings, which the barrier leaves trailing by up to one flush interval on disk, are taken
     * from memory for the page (a sort by them may be that stale).
     */
    list(query: DeviceListQuery): DeviceList {
      const list = ctx.repos.deviceList.list(query, ctx.state.settings.defaultCheckinInterval);
      for (const item of list.items) {
        const device = ctx.state.devices.get(item.id);
        if (device) copyLiveness(device, item);
      }
      return list;
    },

    get: (id: string) => detail(ctx, deviceOrThrow(ctx, id)),

    patch(id, patch, author: Author): DeviceDetail {
      if (patch.profileId !== undefined && patch.profileId !== null) profileOrThrow(ctx, patch.profileId);
      return act(id, (device) => patchDevice(ctx, device, patch, author));
    },

    remove(id: string, author: Author): void {
      const device = deviceOrThrow(ctx, id);
      ctx.atomically(() => removeDevice(ctx, device, author));
    },

    approve(id, author): DeviceDetail {
      const device = deviceOrThrow(ctx, id);
      if (device.state === 'blocked') throw new FleetError('conflict', 'device is blocked; unblock it instead');
      return act(id, (d) => changeState(ctx, d, 'active', author, 'approved'));
    },

    block: (id, author) => act(id, (d) => changeState(ctx, d, 'blocked', author, 'blocked')),

    unblock(id, author): DeviceDetail {
      const device = deviceOrThrow(ctx, id);
      if (device.state !== 'blocked') throw new FleetError('conflict', `device is ${device.state}, not blocked`);
      return act(id, (d) => changeState(ctx, d, 'active', author, 'unblocked'));
    },

    resetCredentials: (id, author) => act(id, (d) => resetCredentials(ctx, d, author)),

    bulk: (request, author) => runBulk(ctx, request, author),
    undoBulk: (undo, author) => undoBulk(ctx, undo, author),
  };
}
