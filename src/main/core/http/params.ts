/** Small request helpers shared by the routers: ids from the path, tokens from headers. */
import type { Request } from 'express';
import { FleetError } from '../errors';
import { deviceIdOrThrow } from '../ids';

/** The normalised device id of `req.params[name]`, or a 400 bad_id. */
export function deviceIdParam(req: Request, name = 'id'): string {
  return deviceIdOrThrow(req.params[name]);
}

/** A positive integer path parameter (profile, firmware, command, revision ids), or a 400. */
export function intParam(req: Request, name: string): number {
  const raw = req.params[name];
  const value = typeof raw === 'string' && /^[0-9]{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw new FleetError('bad_request', `${name} must be a positive integer`);
  return value;
}

/** The token of an `Authorization: Bearer <token>` header, or null when absent/other scheme. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** The client's address without the IPv4-mapped IPv6 prefix. */
export function remoteAddress(req: Request): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
