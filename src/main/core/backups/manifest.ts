/**
 * manifest.json of a backup (what it holds, checksums of every entry) and the checks run on a
 * database copy: integrity, schema version, counts and the server id.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { BackupContents, BackupSummary } from '../../../shared/api/backups';

export const DATABASE_ENTRY = 'fleetdesk.db';
export const FORMAT = 'fleetdesk-backup';

const EntrySchema = z.object({ entry: z.string().max(200), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0) });
export const ManifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(1),
  createdAt: z.number().int(),
  reason: z.enum(['manual', 'scheduled', 'pre-restore']),
  serverId: z.string().max(100),
  schemaVersion: z.number().int().min(0),
  appVersion: z.string().max(50),
  verified: z.boolean(),
  contents: z.object({
    devices: z.number().int(), profiles: z.number().int(), revisions: z.number().int(), images: z.number().int(), events: z.number().int(),
  }),
  database: EntrySchema,
  images: z.array(EntrySchema).max(100_000),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function summaryOf(id: string, file: string, size: number, manifest: Manifest): BackupSummary {
  const { createdAt, reason, serverId, schemaVersion, appVersion, verified, contents } = manifest;
  return { id, file, size, createdAt, reason, serverId, schemaVersion, appVersion, verified, contents };
}

export async function sha256OfFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

export interface CopyFacts {
  integrity: string;
  schemaVersion: number;
  serverId: string;
  contents: BackupContents;
  /** sha256 of every firmware image the copy references */
  imageHashes: string[];
}

const count = (db: Database.Database, table: string): number =>
  // table names are constants of this module, never input
  db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

/**
 * Opens a database copy read-only and reports what it holds. `integrity` is the first line of
 * PRAGMA integrity_check ("ok" when sound). Throws when the file is not a FleetDesk database.
 */
export function inspectCopy(file: string, nativeBinding?: string): CopyFacts {
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]));
    for (const needed of ['devices', 'profiles', 'config_revisions', 'firmware', 'events', 'settings']) {
      if (!tables.has(needed)) throw new Error(`not a FleetDesk database (no ${needed} table)`);
    }
    const rawServerId = db.prepare("SELECT value FROM settings WHERE key = 'serverId'").pluck().get() as string | undefined;
    let serverId = '';
    try {
      serverId = rawServerId === undefined ? '' : String(JSON.parse(rawServerId));
    } catch {
      serverId = '';
    }
    const imageHashes = db.prepare('SELECT DISTINCT sha256 FROM firmware ORDER BY sha256').pluck().all() as string[];
    return {
      integrity, schemaVersion, serverId, imageHashes,
      contents: {
        devices: count(db, 'devices'), profiles: count(db, 'profiles'), revisions: count(db, 'config_revisions'),
        images: imageHashes.length, events: count(db, 'events'),
      },
    };
  } finally {
    db.close();
  }
}
