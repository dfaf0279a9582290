/**
 * JSON.parse keeps a `"__proto__"` key as an own property, but copying it into a new object (as zod
 * does for records: config, command args) turns it into a prototype change: the key would vanish
 * silently. Refuse it up front instead, anywhere in the body.
 */
import type { RequestHandler } from 'express';
import { FleetError } from '../errors';

const RESERVED = '__proto__';

function findReservedKey(value: unknown, path: string, depth = 0): string | null {
  if (value === null || typeof value !== 'object' || depth > 64) return null;
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
  const found = findReservedKey(req.body, '');
  if (found) throw new FleetError('bad_request', `"${RESERVED}" is not allowed as a key`, [{ path: found, message: 'reserved key' }]);
  next();
};
