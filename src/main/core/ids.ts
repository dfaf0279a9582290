/**
 * Device ids as the core accepts them: every path, body and query that names a device goes
 * through here, so a refused id always gets the same code and the same words.
 */
import { normalizeDeviceId } from '../../shared/device-id';
import { FleetError } from './errors';

export const BAD_ID_MESSAGE = 'device id must be a MAC address or a short name of letters, digits, _ and -';

/** The normalised id (see normalizeDeviceId), or a 400 bad_id. */
export function deviceIdOrThrow(raw: unknown): string {
  const id = typeof raw === 'string' ? normalizeDeviceId(raw) : null;
  if (!id) throw new FleetError('bad_id', BAD_ID_MESSAGE);
  return id;
}
