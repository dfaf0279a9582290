import type { Database } from 'better-sqlite3';
import type { PreauthorizedDevice } from '../../../../shared/api/claims';
import { parseJson } from './json';

export interface ClaimRow {
  deviceId: string;
  kind: 'window' | 'request';
  openedAt: number;
  expiresAt: number;
  tokenHash: string | null;
  remoteAddress: string | null;
  details: { ip?: string | null; fw?: { name?: string; version?: string } | null; chip?: unknown } | null;
}

interface StoredClaim {
  device_id: string; kind: 'window' | 'request'; opened_at: number; expires_at: number;
  token_hash: string | null; remote_address: string | null; details: string | null;
}

/** Claims on existing devices and pre-authorised ids: small tables, read once at start. */
export function createAdmissionRepo(db: Database) {
  const allClaims = db.prepare('SELECT * FROM device_claims');
  const upsertClaim = db.prepare(`
    INSERT INTO device_claims (device_id, kind, opened_at, expires_at, token_hash, remote_address, details)
    VALUES (@deviceId, @kind, @openedAt, @expiresAt, @tokenHash, @remoteAddress, @details)
    ON CONFLICT (device_id) DO UPDATE SET kind = excluded.kind, opened_at = excluded.opened_at,
      expires_at = excluded.expires_at, token_hash = excluded.token_hash,
      remote_address = excluded.remote_address, details = excluded.details`);
  const deleteClaim = db.prepare('DELETE FROM device_claims WHERE device_id = ?');
  const deleteExpired = db.prepare('DELETE FROM device_claims WHERE expires_at <= ?');

  const allPreauthorized = db.prepare('SELECT id, note, author, created_at AS createdAt FROM preauthorized_devices ORDER BY created_at DESC, id');
  const insertPreauthorized = db.prepare('INSERT OR IGNORE INTO preauthorized_devices (id, note, author, created_at) VALUES (?, ?, ?, ?)');
  const deletePreauthorized = db.prepare('DELETE FROM preauthorized_devices WHERE id = ?');

  return {
    claims: (): ClaimRow[] =>
      (allClaims.all() as StoredClaim[]).map((r) => ({
        deviceId: r.device_id, kind: r.kind, openedAt: r.opened_at, expiresAt: r.expires_at, tokenHash: r.token_hash,
        remoteAddress: r.remote_address, details: parseJson(r.details) as ClaimRow['details'],
      })),
    saveClaim: (c: ClaimRow): void => {
      upsertClaim.run({ ...c, details: c.details === null ? null : JSON.stringify(c.details) });
    },
    deleteClaim: (deviceId: string): boolean => deleteClaim.run(deviceId).changes > 0,
    deleteExpiredClaims: (now: number): number => deleteExpired.run(now).changes,

    preauthorized: (): PreauthorizedDevice[] => allPreauthorized.all() as PreauthorizedDevice[],
    /** true when added, false when it was there already */
    addPreauthorized: (id: string, note: string, author: string, at: number): boolean => insertPreauthorized.run(id, note, author, at).changes > 0,
    removePreauthorized: (id: string): boolean => deletePreauthorized.run(id).changes > 0,
  };
}
export type AdmissionRepo = ReturnType<typeof createAdmissionRepo>;
