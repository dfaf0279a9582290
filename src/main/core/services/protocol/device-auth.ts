import { FleetError } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import { deviceIdOrThrow } from '../../ids';
import { secretMatches } from '../../secrets';

/**
 * The device behind a bearer token. Unknown devices and wrong tokens get the same answer, so
 * the device listener does not reveal which MACs are registered.
 */
export function authenticateDevice(ctx: ServiceContext, rawId: string, bearer: string | null): DeviceRuntime {
  // Ids arrive normalised from the router, and a stored key is normalised by construction: look it
  // up as given first, so the hot path does not normalise the same id twice.
  const device = ctx.state.devices.get(rawId) ?? ctx.state.devices.get(deviceIdOrThrow(rawId));
  if (!device || !secretMatches(bearer, device.tokenHash)) {
    throw new FleetError('unauthorized', 'missing or wrong device token; register again if credentials were reset');
  }
  return device;
}
