import { normalizeDeviceId } from '../../../../shared/device-id';
import { FleetError } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import { secretMatches } from '../tokens';

export function normalizedIdOrThrow(rawId: string): string {
  const id = normalizeDeviceId(rawId);
  if (!id) throw new FleetError('bad_id', 'device id must be a MAC address or a short name of letters, digits, _ and -');
  return id;
}

/**
 * The device behind a bearer token. Unknown devices and wrong tokens get the same answer, so
 * the device listener does not reveal which MACs are registered.
 */
export function authenticateDevice(ctx: ServiceContext, rawId: string, bearer: string | null): DeviceRuntime {
  // Ids arrive normalised from the router, and a stored key is normalised by construction: look it
  // up as given first, so the hot path does not normalise the same id twice.
  const device = ctx.state.devices.get(rawId) ?? ctx.state.devices.get(normalizedIdOrThrow(rawId));
  if (!device || !secretMatches(bearer, device.tokenHash)) {
    throw new FleetError('unauthorized', 'missing or wrong device token; register again if credentials were reset');
  }
  return device;
}
