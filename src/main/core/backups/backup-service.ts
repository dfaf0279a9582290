/**
 * Backups of the running fleet: settings (folder, schedule, how many to keep), the list of the
 * folder, taking one (on demand or on schedule) and restoring one in place. One backup or restore
 * runs at a time; others wait their turn.
 */
import { constants, existsSync } from 'node:fs';
import { access, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import {
  BACKUP_ID_PATTERN, type BackupList, type BackupReason, type BackupSettings, type BackupSettingsPatch,
  type BackupSummary, type RestoreResult,
} from '../../../shared/api/backups';
import { createSettingsRepo } from '../db/repos/settings-repo';
import { FleetError } from '../errors';
import type { ServicesLogger } from '../services/context';
import type { Clock } from '../services/contracts';
import { readManifest } from './archive';
import { ManifestSchema, summaryOf } from './manifest';
import { copyDatabaseInto, installImages, unpackBackup, withWorkDir } from './restore';
import { BACKUP_EXTENSION, BackupError, takeBackup } from './take-backup';

const HOUR_MS = 3_600_000;
const RETRY_AFTER_FAILURE_MS = HOUR_MS;
const SCHEDULE_CHECK_MS = 60_000;
const KEY = { folder: 'backupFolder', intervalHours: 'backupIntervalHours', keep: 'backupKeep', lastAt: 'backupLastAt' } as const;

export interface BackupServiceDeps {
  db: Database;
  dataDir: string;
  clock: Clock;
  logger: ServicesLogger;
  appVersion: string;
  nativeBinding?: string;
  /** writes buffered liveness so the copy is current */
  flush(): void;
  /** rebuilds the in-memory fleet from the restored database and records the restore */
  reload(note: { message: string; data: Record<string, unknown> }): void;
  /** the restored server id (the mDNS advertisement follows it) */
  onRestored?(serverId: string): void;
}

export interface BackupService {
  settings(): BackupSettings;
  patchSettings(patch: BackupSettingsPatch): Promise<BackupSettings>;
  list(): Promise<BackupList>;
  create(reason?: BackupReason): Promise<BackupSummary>;
  restore(id: string): Promise<RestoreResult>;
  /** takes the scheduled backup when it is due; returns it, or null when nothing was due */
  runDue(): Promise<BackupSummary | null>;
  start(): void;
  /** stops the schedule and waits for a backup or restore under way */
  stop(): Promise<void>;
}

/** `fleetdesk-20261202T024501-123Z-manual`: sortable by time, and the reason is visible in a file manager. */
export function backupIdFor(at: number, reason: BackupReason): string {
  const iso = new Date(at).toISOString(); // 2026-12-02T02:45:01.123Z
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}T${iso.slice(11, 19).replace(/:/g, '')}-${iso.slice(20, 23)}Z`;
  return `fleetdesk-${stamp}-${reason}`;
}

export function createBackupService(deps: BackupServiceDeps): BackupService {
  const repo = createSettingsRepo(deps.db);
  const startedAt = deps.clock.now();
  let queue: Promise<unknown> = Promise.resolve();
  let lastError: string | null = null;
  let retryAt: number | null = null;
  let timer: NodeJS.Timeout | null = null;

  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const settings = (): BackupSettings => {
    const stored = repo.load();
    const folder = stored.get(KEY.folder);
    const intervalHours = stored.get(KEY.intervalHours);
    const keep = stored.get(KEY.keep);
    return {
      folder: typeof folder === 'string' && isAbsolute(folder) ? folder : join(deps.dataDir, 'backups'),
      intervalHours: typeof intervalHours === 'number' ? intervalHours : 24,
      keep: typeof keep === 'number' ? keep : 7,
    };
  };
  const lastAt = (): number | null => {
    const value = repo.load().get(KEY.lastAt);
    return typeof value === 'number' ? value : null;
  };
  const nextScheduledAt = (): number | null => {
    const { intervalHours } = settings();
    if (intervalHours === 0) return null;
    const regular = (lastAt() ?? startedAt) + intervalHours * HOUR_MS;
    return retryAt !== null ? Math.min(regular, retryAt) : regular;
  };

  const fileOf = (id: string): string => join(settings().folder, `${id}${BACKUP_EXTENSION}`);

  async function readSummary(id: string): Promise<BackupSummary> {
    const file = fileOf(id);
    const manifest = ManifestSchema.parse(await readManifest(file));
    return summaryOf(id, file, (await stat(file)).size, manifest);
  }

  async function list(): Promise<BackupList> {
    const current = settings();
    const names = existsSync(current.folder) ? await readdir(current.folder) : [];
    const backups: BackupSummary[] = [];
    const unreadable: string[] = [];
    for (const name of names) {
      if (!name.endsWith(BACKUP_EXTENSION)) continue;
      const id = name.slice(0, -BACKUP_EXTENSION.length);
      if (!BACKUP_ID_PATTERN.test(id)) continue;
      try {
        backups.push(await readSummary(id));
      } catch {
        unreadable.push(name);
      }
    }
    backups.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
    return { settings: current, backups, nextScheduledAt: nextScheduledAt(), lastError, unreadable };
  }

  /** Deletes manual and scheduled backups beyond the newest `keep` (pre-restore ones stay). */
  async function prune(): Promise<void> {
    const { folder, keep } = settings();
    const ours = (await readdir(folder))
      .filter((n) => n.endsWith(BACKUP_EXTENSION) && BACKUP_ID_PATTERN.test(n.slice(0, -BACKUP_EXTENSION.length)) && !n.includes('-pre-restore'))
      .sort()
      .reverse();
    for (const name of ours.slice(keep)) await rm(join(folder, name), { force: true });
  }

  async function createNow(reason: BackupReason): Promise<BackupSummary> {
    const { folder } = settings();
    let at = deps.clock.now();
    while (existsSync(join(folder, `${backupIdFor(at, reason)}${BACKUP_EXTENSION}`))) at++;
    deps.flush();
    let summary: BackupSummary;
    try {
      summary = await takeBackup({
        db: deps.db, dataDir: deps.dataDir, folder, id: backupIdFor(at, reason), reason, createdAt: at,
        appVersion: deps.appVersion, nativeBinding: deps.nativeBinding,
      });
    } catch (err) {
      if (err instanceof BackupError) throw new FleetError('internal', err.message);
      throw new FleetError('internal', `the backup could not be written to ${folder}: ${(err as Error).message}`);
    }
    if (reason !== 'pre-restore') {
      repo.save(KEY.lastAt, at);
      await prune();
    }
    deps.logger.info({ file: summary.file, size: summary.size, reason }, 'backup taken');
    return summary;
  }

  async function restoreNow(id: string): Promise<RestoreResult> {
    if (!BACKUP_ID_PATTERN.test(id)) throw new FleetError('bad_request', 'not a backup id');
    const file = fileOf(id);
    if (!existsSync(file)) throw new FleetError('not_found', `no backup ${id} in ${settings().folder}`);
    const restored = await readSummary(id).catch(() => {
      throw new FleetError('bad_request', `${id} is not a readable FleetDesk backup`);
    });
    return withWorkDir(settings().folder, async (workDir) => {
      const unpacked = await unpackBackup(file, workDir, deps.nativeBinding).catch((err: unknown) => {
        throw err instanceof BackupError ? new FleetError('bad_request', err.message) : err;
      });
      const safetyBackup = await createNow('pre-restore');
      await installImages(unpacked, deps.dataDir);
      // From here to the reload nothing yields: no check-in sees half a restore.
      deps.flush();
      // Where backups go and how often is this machine's choice, not the backup's.
      const keepLocal = [KEY.folder, KEY.intervalHours, KEY.keep, KEY.lastAt].map((key) => [key, repo.load().get(key)] as const);
      const { cfgsnRaised } = copyDatabaseInto(deps.db, unpacked.dbFile, () => {
        for (const [key, value] of keepLocal) if (value !== undefined) repo.save(key, value);
      });
      deps.reload({
        message: `fleet restored from backup ${id} (the previous state is in ${safetyBackup.id})`,
        data: { backup: id, safetyBackup: safetyBackup.id, cfgsnRaised },
      });
      deps.onRestored?.(unpacked.manifest.serverId);
      deps.logger.info({ backup: id, safetyBackup: safetyBackup.id }, 'fleet restored from backup');
      return { restored, safetyBackup, serverId: unpacked.manifest.serverId, cfgsnRaised };
    });
  }

  async function runDue(): Promise<BackupSummary | null> {
    const next = nextScheduledAt();
    if (next === null || deps.clock.now() < next) return null;
    try {
      const summary = await exclusive(() => createNow('scheduled'));
      lastError = null;
      retryAt = null;
      return summary;
    } catch (err) {
      lastError = (err as Error).message;
      retryAt = deps.clock.now() + RETRY_AFTER_FAILURE_MS;
      deps.logger.error({ err }, 'scheduled backup failed');
      return null;
    }
  }

  return {
    settings,
    async patchSettings(patch) {
      if (patch.folder !== undefined) {
        if (!isAbsolute(patch.folder)) throw new FleetError('bad_request', 'the backup folder must be an absolute path');
        try {
          // Only the last level is created: a folder whose parent is missing is most likely a
          // mistyped path or an absent USB stick (and recursive mkdir can spin on /proc paths).
          if (!existsSync(patch.folder)) await mkdir(patch.folder);
          await access(patch.folder, constants.W_OK);
        } catch {
          throw new FleetError('bad_request', `cannot write to ${patch.folder}`);
        }
      }
      deps.db.transaction(() => {
        for (const key of ['folder', 'intervalHours', 'keep'] as const) {
          if (patch[key] !== undefined) repo.save(KEY[key], patch[key]);
        }
      })();
      return settings();
    },
    list,
    create: (reason = 'manual') => exclusive(() => createNow(reason)),
    restore: (id) => exclusive(() => restoreNow(id)),
    runDue,
    start() {
      if (timer) return;
      timer = setInterval(() => void runDue(), SCHEDULE_CHECK_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await queue;
    },
  };
}
