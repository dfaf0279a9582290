/**
 * The trial confirmation (docs/protocol.md §7.2): a device running an unconfirmed image is told
 * the md5 the server expected when that image is the one it was offered or assigned, so it makes
 * the slot permanent. Anything else gets no confirmation, and the device falls back by itself.
 */
import type { CheckinRequest } from '../../../../shared/protocol';
import { type DeviceRuntime, type FleetState, assignedFirmwareId } from '../../state/runtime';

export function confirmationFor(state: FleetState, device: DeviceRuntime, body: CheckinRequest, rolloutFirmwareId: number | null): { md5: string } | undefined {
  if (body.boot?.trial !== true) return undefined;
  const expected = [rolloutFirmwareId, device.ota.firmwareId, assignedFirmwareId(device, state)];
  for (const id of expected) {
    const fw = id === null ? undefined : state.firmware.get(id);
    if (!fw) continue;
    const runs = body.fw?.md5 !== undefined ? body.fw.md5.toLowerCase() === fw.md5.toLowerCase() : body.fw?.version === fw.version;
    if (runs) return { md5: fw.md5.toLowerCase() };
  }
  return undefined;
}
