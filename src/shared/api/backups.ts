/**
 * Admin API contracts of backups and restore. A backup is one `.tar.gz` file in the backup folder
 * holding manifest.json, the database copy and the firmware images; its id is the file name
 * without the extension.
 */
import { z } from 'zod';

/** What a backup holds, counted on the verified copy. */
export interface BackupContents {
  devices: number;
  profiles: number;
  revisions: number;
  images: number;
  events: number;
}

export type BackupReason = 'manual' | 'scheduled' | 'pre-restore';

export interface BackupSummary {
  id: string;
  /** absolute path of the backup file */
  file: string;
  /** bytes on disk */
  size: number;
  createdAt: number;
  reason: BackupReason;
  /** the fleet's server id (devices pin to it); a restore keeps it */
  serverId: string;
  /** PRAGMA user_version of the database copy */
  schemaVersion: number;
  appVersion: string;
  /** PRAGMA integrity_check of the copy said "ok" when the backup was taken */
  verified: boolean;
  contents: BackupContents;
}

export interface BackupSettings {
  /** absolute folder; default `<data dir>/backups` */
  folder: string;
  /** hours between scheduled backups; 0 = no schedule */
  intervalHours: number;
  /** scheduled and manual backups beyond the newest `keep` are deleted (pre-restore ones are kept) */
  keep: number;
}

export interface BackupList {
  settings: BackupSettings;
  backups: BackupSummary[];
  /** the next scheduled backup (epoch ms), null when the schedule is off */
  nextScheduledAt: number | null;
  /** the last scheduled backup failed with this message */
  lastError: string | null;
  /** files in the folder that look like backups but cannot be read */
  unreadable: string[];
}

export const BackupSettingsPatchSchema = z
  .object({
    folder: z.string().trim().min(1).max(1024),
    intervalHours: z.number().int().min(0).max(24 * 365),
    keep: z.number().int().min(1).max(1000),
  })
  .partial()
  .strict();
export type BackupSettingsPatch = z.infer<typeof BackupSettingsPatchSchema>;

/** Backup ids are generated file names: nothing else may reach the file system. */
export const BACKUP_ID_PATTERN = /^fleetdesk-[0-9]{8}T[0-9]{6}(?:-[0-9]{3})?Z-(?:manual|scheduled|pre-restore)$/;

export interface RestoreResult {
  restored: BackupSummary;
  /** the state just before the restore, backed up first */
  safetyBackup: BackupSummary | null;
  serverId: string;
  /** devices whose cfgsn was raised so they fetch the restored config (they had applied a newer number) */
  cfgsnRaised: number;
}
