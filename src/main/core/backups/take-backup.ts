/**
 * Taking one backup: SQLite's online backup (better-sqlite3 `backup()`, which copies a batch of
 * pages per event-loop turn, so check-ins keep being served meanwhile), integrity_check on the
 * copy, then the copy, the firmware images it references and manifest.json into one .tar.gz.
 * The file appears under its final name only when complete.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { BackupReason, BackupSummary } from '../../../shared/api/backups';
import { writeArchive, type ArchiveEntry, MANIFEST_ENTRY } from './archive';
import { DATABASE_ENTRY, FORMAT, inspectCopy, sha256OfFile, summaryOf, type CopyFacts, type Manifest } from './manifest';

export const BACKUP_EXTENSION = '.tar.gz';

export interface TakeBackupInput {
  /** an open database: the live one (online backup) */
  db: Database;
  dataDir: string;
  folder: string;
  id: string;
  reason: BackupReason;
  createdAt: number;
  appVersion: string;
  nativeBinding?: string;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

/** Archives a database copy that is already on disk (and inspected) with its images. */
export async function archiveCopy(
  input: Omit<TakeBackupInput, 'db'> & { copy: string; facts: CopyFacts; workDir: string },
): Promise<BackupSummary> {
  const { facts } = input;
  const database = await sha256OfFile(input.copy);
  const images: Manifest['images'] = [];
  const entries: ArchiveEntry[] = [];
  for (const sha256 of facts.imageHashes) {
    const file = join(input.dataDir, 'firmware', `${sha256}.bin`);
    if (!existsSync(file)) continue; // reported by contents.images being lower than the firmware rows
    const digest = await sha256OfFile(file);
    images.push({ entry: `firmware/${sha256}.bin`, sha256: digest.sha256, size: digest.size });
    entries.push({ name: `firmware/${sha256}.bin`, file });
  }
  const manifest: Manifest = {
    format: FORMAT, formatVersion: 1, createdAt: input.createdAt, reason: input.reason, serverId: facts.serverId,
    schemaVersion: facts.schemaVersion, appVersion: input.appVersion, verified: facts.integrity === 'ok',
    contents: { ...facts.contents, images: images.length },
    database: { entry: DATABASE_ENTRY, ...database },
    images,
  };
  const target = join(input.folder, `${input.id}${BACKUP_EXTENSION}`);
  const partial = join(input.workDir, `${input.id}${BACKUP_EXTENSION}.partial`);
  await writeArchive(partial, [
    { name: MANIFEST_ENTRY, content: Buffer.from(JSON.stringify(manifest, null, 2)) },
    { name: DATABASE_ENTRY, file: input.copy },
    ...entries,
  ]);
  await rename(partial, target);
  const { size } = await stat(target);
  return summaryOf(input.id, target, size, manifest);
}

export async function takeBackup(input: TakeBackupInput): Promise<BackupSummary> {
  await mkdir(input.folder, { recursive: true });
  // The work folder sits in the backup folder so the final rename never crosses file systems.
  const workDir = await mkdtemp(join(input.folder, '.work-'));
  try {
    const copy = join(workDir, DATABASE_ENTRY);
    await input.db.backup(copy);
    const facts = inspectCopy(copy, input.nativeBinding);
    if (facts.integrity !== 'ok') throw new BackupError(`the database copy failed its integrity check: ${facts.integrity}`);
    return await archiveCopy({ ...input, copy, facts, workDir });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
