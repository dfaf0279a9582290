/**
 * Firmware offers and their outcome. An offer stands while an image is assigned (to the device,
 * else to its profile) whose version differs from what the device reports running; the device
 * reporting the offered version afterwards is the success, an `ota: {id, ok: false}` report a failure
 * (after which that image is not offered again until the operator assigns it again).
 */
import type { CheckinRequest, FirmwareOffer, RegisterRequest } from '../../../../shared/protocol';
import { type DeviceRuntime, assignedFirmwareId } from '../../state/runtime';
import type { ServiceContext } from '../context';

export function firmwareOffer(ctx: ServiceContext, device: DeviceRuntime): FirmwareOffer | undefined {
  // a rollout that owns the device decides its offers (see services/rollouts/)
  const fromRollout = ctx.rollouts.offer(device);
  if (fromRollout !== undefined) return fromRollout ?? undefined;
  const id = assignedFirmwareId(device, ctx.state);
  if (id === null) return undefined;
  const fw = ctx.state.firmware.get(id);
  if (!fw || fw.version === device.fwVersion) return undefined;
  if (ctx.images.damageOf(fw.sha256) !== null) return undefined;
  // After a reported failure the image is not offered again until the operator re-assigns it.
  if (device.ota.state === 'failed' && device.ota.firmwareId === id) return undefined;
  return { id, version: fw.version, url: `/api/v1/devices/${device.id}/firmware/${id}`, size: fw.size, md5: fw.md5 };
}

type ReportedFirmware = RegisterRequest['fw'];

/** Takes the firmware a device reports; returns whether anything the UI shows changed. */
export function takeReportedFirmware(
  ctx: ServiceContext,
  device: DeviceRuntime,
  fw: ReportedFirmware,
  ota?: CheckinRequest['ota'],
): boolean {
  let changed = false;
  if (fw?.version !== undefined && fw.version !== device.fwVersion) {
    device.fwVersion = fw.version;
    changed = true;
  }
  if (fw?.name !== undefined && fw.name !== device.fwName) {
    device.fwName = fw.name;
    changed = true;
  }
  if (fw?.md5 !== undefined && fw.md5.toLowerCase() !== device.fwMd5) {
    device.fwMd5 = fw.md5.toLowerCase();
    changed = true;
  }
  const tracked = device.ota.firmwareId === null ? undefined : ctx.state.firmware.get(device.ota.firmwareId);
  const awaiting = device.ota.state === 'offered' || device.ota.state === 'downloading' || device.ota.state === 'failed';
  if (!tracked || !awaiting) return changed;
  const now = ctx.clock.now();
  if (device.fwVersion === tracked.version) {
    device.ota = { state: 'updated', firmwareId: tracked.id, at: now };
    ctx.events.recordLater('firmware_updated', device.id, `${device.name || device.id} now runs ${tracked.name} ${tracked.version}`, {
      firmwareId: tracked.id, version: tracked.version,
    });
    return true;
  }
  if (ota && !ota.ok && ota.id === tracked.id && device.ota.state !== 'failed') {
    const message = ota.message ?? 'update failed';
    device.ota = { state: 'failed', firmwareId: tracked.id, message, at: now };
    ctx.events.recordLater('firmware_failed', device.id, `update of ${device.name || device.id} to ${tracked.version} failed: ${message}`, {
      firmwareId: tracked.id, version: tracked.version, error: message,
    });
    return true;
  }
  return changed;
}

/** Records that an offer went out (once per image, not on every check-in). */
export function noteOffer(ctx: ServiceContext, device: DeviceRuntime, offer: FirmwareOffer | undefined): boolean {
  if (!offer || device.ota.firmwareId === offer.id && device.ota.state !== 'none' && device.ota.state !== 'updated') return false;
  device.ota = { state: 'offered', firmwareId: offer.id, at: ctx.clock.now() };
  ctx.events.recordLater('firmware_offered', device.id, `${offer.version} offered to ${device.name || device.id}`, {
    firmwareId: offer.id, version: offer.version,
  });
  return true;
}
