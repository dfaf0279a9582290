/**
 * Restoring a backup: unpack and check it (checksums from the manifest, integrity_check, schema
 * version), bring its database to the current schema, then either copy it table by table into the
 * live database in one transaction (the running app) or put it in place of the data dir's
 * database (the command line, for a machine that does not start any more).
 */
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { MIGRATIONS } from '../db/migrations';
import { closeDatabase, openDatabase } from '../db/open';
import { extractArchive } from './archive';
import { DATABASE_ENTRY, inspectCopy, ManifestSchema, sha256OfFile, type Manifest } from './manifest';
import { BackupError } from './take-backup';

export interface UnpackedBackup {
  dbFile: string;
  manifest: Manifest;
  images: { sha256: string; file: string }[];
}

/** Extracts `file` into `workDir` and checks everything in it; throws BackupError when anything is off. */
export async function unpackBackup(file: string, workDir: string, nativeBinding?: string): Promise<UnpackedBackup> {
  let extracted: Awaited<ReturnType<typeof extractArchive>>;
  try {
    extracted = await extractArchive(file, workDir);
  } catch (err) {
    throw new BackupError(`not a readable backup file: ${(err as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(extracted.manifest);
  if (!parsed.success) throw new BackupError('not a FleetDesk backup (manifest.json missing or malformed)');
  const manifest = parsed.data;
  const dbFile = join(workDir, DATABASE_ENTRY);
  if (!existsSync(dbFile)) throw new BackupError('the backup holds no database');
  const digest = await sha256OfFile(dbFile);
  if (digest.sha256 !== manifest.database.sha256) throw new BackupError('the database in the backup does not match its checksum');
  const images: UnpackedBackup['images'] = [];
  for (const image of manifest.images) {
    const imageFile = join(workDir, image.entry);
    const imageDigest = existsSync(imageFile) ? await sha256OfFile(imageFile) : null;
    if (!imageDigest || imageDigest.sha256 !== image.sha256) throw new BackupError(`firmware image ${image.entry} is missing or damaged`);
    images.push({ sha256: image.sha256, file: imageFile });
  }
  const facts = inspectCopy(dbFile, nativeBinding);
  if (facts.integrity !== 'ok') throw new BackupError(`the database in the backup fails its integrity check: ${facts.integrity}`);
  if (facts.schemaVersion > MIGRATIONS.length) {
    throw new BackupError(`the backup comes from a newer FleetDesk (schema ${facts.schemaVersion}, this app knows ${MIGRATIONS.length})`);
  }
  // An older backup is migrated here, on the copy, before it touches the live data.
  closeDatabase(openDatabase(dbFile, { nativeBinding }));
  return { dbFile, manifest, images };
}

/** Copies firmware images the data dir does not have yet (they are named by content). */
export async function installImages(unpacked: UnpackedBackup, dataDir: string): Promise<void> {
  const dir = join(dataDir, 'firmware');
  await mkdir(dir, { recursive: true });
  for (const image of unpacked.images) {
    const target = join(dir, `${image.sha256}.bin`);
    if (!existsSync(target)) await copyFile(image.file, target);
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Replaces every row of the live database with the (migrated) copy's, in one transaction.
 * A device that already applied a higher cfgsn than the restored one gets its cfgsn raised past
 * it, so it fetches the restored config and never sees a number go backwards; returns how many.
 * `inside` runs last in the same transaction (ATTACH cannot happen inside one, so callers cannot wrap this).
 */
export function copyDatabaseInto(live: Database, sourceFile: string, inside: () => void = () => {}): { cfgsnRaised: number } {
  const tables = live.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  const liveCfgsn = new Map((live.prepare('SELECT id, cfgsn FROM devices').all() as { id: string; cfgsn: number }[]).map((r) => [r.id, r.cfgsn]));
  live.prepare('ATTACH DATABASE ? AS restore_src').run(sourceFile);
  try {
    const columns = (schema: string, table: string): string[] =>
      (live.prepare(`SELECT name FROM pragma_table_info(?, ?)`).pluck().all(table, schema) as string[]);
    let cfgsnRaised = 0;
    live.transaction(() => {
      live.pragma('defer_foreign_keys = ON');
      for (const table of tables) live.exec(`DELETE FROM main.${quote(table)}`);
      for (const table of tables) {
        const source = new Set(columns('restore_src', table));
        const shared = columns('main', table).filter((c) => source.has(c)).map(quote).join(', ');
        if (shared.length === 0) continue;
        live.exec(`INSERT INTO main.${quote(table)} (${shared}) SELECT ${shared} FROM restore_src.${quote(table)}`);
      }
      // the inserts above advanced the AUTOINCREMENT counters; the copy's own values win
      live.exec('DELETE FROM main.sqlite_sequence');
      live.exec('INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM restore_src.sqlite_sequence');
      const restored = live.prepare('SELECT id, cfgsn FROM devices').all() as { id: string; cfgsn: number }[];
      const raise = live.prepare('UPDATE devices SET cfgsn = ? WHERE id = ?');
      for (const { id, cfgsn } of restored) {
        const before = liveCfgsn.get(id);
        if (before !== undefined && before > cfgsn) {
          raise.run(before + 1, id);
          cfgsnRaised++;
        }
      }
      inside();
    })();
    return { cfgsnRaised };
  } finally {
    live.exec('DETACH DATABASE restore_src');
  }
}

export async function withWorkDir<T>(parent: string, work: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, '.work-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The database files of a data dir (main file, WAL and shared memory). */
export function databaseFiles(dataDir: string): string[] {
  const base = join(dataDir, 'fleetdesk.db');
  return [base, `${base}-wal`, `${base}-shm`];
}

/** Image files present in a data dir, for a backup of a database that can no longer be read. */
export function imageHashesOnDisk(dataDir: string): string[] {
  const dir = join(dataDir, 'firmware');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.bin$/.test(f)).map((f) => f.slice(0, 64)).sort();
}
