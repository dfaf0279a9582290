/**
 * JSON.parse keeps a `"__proto__"` key as an own property, but copying it into a new object (as zod
 * does for records: config, command args) turns it into a prototype change: the key would vanish
 * silently. Refuse it up front instead, anywhere in the body.
 */
import type { RequestHandler } from 'express';
import { jsonDepth } from '../../../shared/api/config';
import { FleetError } from '../errors';

const RESERVED = '__proto__';
/** No admin body needs more; checked first, so the walk below and every schema stay shallow. */
export const BODY_MAX_DEPTH = 32;

function findReservedKey(value: unknown, path: string, depth = 0): string | null {
  if (value === null || typeof value !== 'object' || depth > BODY_MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findReservedKey(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (key === RESERVED) return path ? `${path}.${key}` : key;
    const found = findReservedKey((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

export const rejectReservedKeys: RequestHandler = (req, _res, next) => {
  if (jsonDepth(req.body, BODY_MAX_DEPTH) > BODY_MAX_DEPTH) throw new FleetError('bad_request', `request body is nested deeper than ${BODY_MAX_DEPTH} levels`);
  const found = findReservedKey(req.body, '');
  if (found) throw new FleetError('bad_request', `"${RESERVED}" is not allowed as a key`, [{ path: found, message: 'reserved key' }]);
  next();
};
