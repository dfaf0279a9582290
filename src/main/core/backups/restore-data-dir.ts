/**
 * Restore from the command line, before the fleet starts (`npm run serve -- --restore FILE`): for
 * a machine whose database no longer opens. What is there is archived first (through SQLite when
 * it still reads, else the raw file), then the backup's database and images take its place.
 */
import { existsSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupSummary } from '../../../shared/api/backups';
import { backupIdFor } from './backup-service';
import { DATABASE_ENTRY, inspectCopy, summaryOf, type CopyFacts } from './manifest';
import { databaseFiles, imageHashesOnDisk, installImages, unpackBackup, withWorkDir } from './restore';
import { archiveCopy, BackupError } from './take-backup';

export interface RestoreDataDirInput {
  dataDir: string;
  file: string;
  appVersion: string;
  now: number;
  nativeBinding?: string;
}

function driverOptions(nativeBinding?: string, readonly = false): Database.Options {
  return { fileMustExist: true, readonly, ...(nativeBinding ? { nativeBinding } : {}) };
}

/** The backup folder the operator chose, when the old database still says; else the default. */
function backupFolderOf(dataDir: string, nativeBinding?: string): string {
  try {
    const db = new Database(join(dataDir, 'fleetdesk.db'), driverOptions(nativeBinding, true));
    try {
      const raw = db.prepare("SELECT value FROM settings WHERE key = 'backupFolder'").pluck().get() as string | undefined;
      const folder: unknown = raw === undefined ? undefined : JSON.parse(raw);
      if (typeof folder === 'string' && isAbsolute(folder)) return folder;
    } finally {
      db.close();
    }
  } catch {
    // unreadable database: the default folder
  }
  return join(dataDir, 'backups');
}

async function archiveCurrent(input: RestoreDataDirInput, folder: string): Promise<BackupSummary> {
  return withWorkDir(folder, async (workDir) => {
    const copy = join(workDir, DATABASE_ENTRY);
    let facts: CopyFacts;
    try {
      const db = new Database(join(input.dataDir, 'fleetdesk.db'), driverOptions(input.nativeBinding));
      try {
        await db.backup(copy);
      } finally {
        db.close();
      }
      facts = inspectCopy(copy, input.nativeBinding);
    } catch (err) {
      await copyFile(join(input.dataDir, 'fleetdesk.db'), copy);
      facts = {
        integrity: `unreadable: ${(err as Error).message}`, schemaVersion: 0, serverId: '',
        contents: { devices: 0, profiles: 0, revisions: 0, images: 0, events: 0 }, imageHashes: imageHashesOnDisk(input.dataDir),
      };
    }
    return archiveCopy({
      dataDir: input.dataDir, folder, id: backupIdFor(input.now, 'pre-restore'), reason: 'pre-restore', createdAt: input.now,
      appVersion: input.appVersion, copy, facts, workDir,
    });
  });
}

export async function restoreDataDir(input: RestoreDataDirInput): Promise<{ restored: BackupSummary; safetyBackup: BackupSummary | null }> {
  if (!existsSync(input.file)) throw new BackupError(`no such file: ${input.file}`);
  const folder = backupFolderOf(input.dataDir, input.nativeBinding);
  const safetyBackup = existsSync(join(input.dataDir, 'fleetdesk.db')) ? await archiveCurrent(input, folder) : null;
  const restored = await withWorkDir(folder, async (workDir) => {
    const unpacked = await unpackBackup(input.file, workDir, input.nativeBinding);
    for (const file of databaseFiles(input.dataDir)) await rm(file, { force: true });
    await copyFile(unpacked.dbFile, join(input.dataDir, 'fleetdesk.db'));
    await installImages(unpacked, input.dataDir);
    return summaryOf('', input.file, 0, unpacked.manifest);
  });
  return { restored, safetyBackup };
}
