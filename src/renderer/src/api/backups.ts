/** Typed calls of the backup admin API (contract: src/shared/api/backups.ts). Stores call these. */
import type { BackupList, BackupSettings, BackupSettingsPatch, BackupSummary, RestoreResult } from '../../../shared/api/backups';
import { request } from './http';

export const backupsApi = {
  list: () => request<BackupList>('GET', '/api/backups'),
  create: () => request<BackupSummary>('POST', '/api/backups'),
  patchSettings: (patch: BackupSettingsPatch) => request<BackupSettings>('PATCH', '/api/backups/settings', { body: patch }),
  restore: (id: string) => request<RestoreResult>('POST', `/api/backups/${encodeURIComponent(id)}/restore`),
};
