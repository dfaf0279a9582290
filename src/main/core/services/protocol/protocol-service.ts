import { FleetError, notFound } from '../../errors';
import { firmwarePath } from '../../firmware-storage';
import { assignedFirmwareId } from '../../state/runtime';
import { type ServiceContext, emitDevice } from '../context';
import type { DeviceProtocolService } from '../contracts';
import { checkin } from './checkin';
import { deviceIdOrThrow } from '../../ids';
import { authenticateDevice } from './device-auth';
import { legacyConfig, legacyRegister } from './legacy';
import { register } from './register';

export function createProtocolService(ctx: ServiceContext): DeviceProtocolService {
  return {
    register: (id, body, bearer, remoteAddress) => register(ctx, id, body, bearer, remoteAddress),
    checkin: (id, bearer, body, remoteAddress) => checkin(ctx, id, bearer, body, remoteAddress),
    waitForChange: (id, timeoutMs, signal) => ctx.waiters.wait(deviceIdOrThrow(id), timeoutMs, signal),
    parkedCount: (id) => ctx.waiters.count(id === undefined ? undefined : deviceIdOrThrow(id)),

    firmwareFor(id, bearer, firmwareId) {
      const device = authenticateDevice(ctx, id, bearer);
      if (device.state !== 'active') throw new FleetError('forbidden', `device is ${device.state}`);
      const fw = ctx.state.firmware.get(firmwareId);
      if (!fw || (assignedFirmwareId(device, ctx.state) !== firmwareId && !ctx.rollouts.serves(device.id, firmwareId))) {
        throw notFound('firmware', firmwareId, 'not offered to this device');
      }
      if (ctx.images.verify(fw.sha256) !== null) throw notFound('firmware', firmwareId, 'its file is damaged on disk and is not served');
      if (device.ota.firmwareId === firmwareId && device.ota.state === 'offered') {
        device.ota = { state: 'downloading', firmwareId, at: ctx.clock.now() };
        ctx.writeBehind.markChanged(device);
        emitDevice(ctx, device);
      }
      ctx.rollouts.downloadStarted(device.id, firmwareId);
      return { path: firmwarePath(ctx.dataDir, fw.sha256), size: fw.size, md5: fw.md5, sha256: fw.sha256, name: fw.name, version: fw.version };
    },
    firmwareSent: (id, firmwareId, complete) => ctx.rollouts.downloadEnded(deviceIdOrThrow(id), firmwareId, complete),

    legacyRegister: (id, body, remoteAddress) => legacyRegister(ctx, id, body, remoteAddress),
    legacyConfig: (id, remoteAddress) => legacyConfig(ctx, id, remoteAddress),
  };
}
