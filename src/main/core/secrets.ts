/**
 * Secrets we hand out or accept (device tokens, the enrollment key, the admin bearer token): only
 * hashes are kept, and every comparison is constant-time here and nowhere else.
 */
import { hash, timingSafeEqual } from 'node:crypto';

export const TOKEN_BYTES = 24; // 192 bits

export function hashSecret(secret: string): Buffer {
  // one-shot: about half the cost of createHash() on the check-in path
  return hash('sha256', secret, 'buffer');
}

/** A new device token (base64url) and the hash that is all we keep of it. */
export function issueToken(randomBytes: (size: number) => Buffer): { token: string; hash: Buffer } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashSecret(token) };
}

/** Constant-time comparison of hashes, so response timing reveals nothing about the secret. */
export function secretMatches(presented: string | null | undefined, expectedHash: Buffer | null): boolean {
  if (!presented || !expectedHash) return false;
  return timingSafeEqual(hashSecret(presented), expectedHash);
}
