/** Backups in the backup folder, their settings, and the one backup or restore under way. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { BackupList, BackupSettingsPatch, BackupSummary, RestoreResult } from '../../../shared/api/backups';
import { BackupSettingsPatchSchema } from '../../../shared/api/backups';
import { backupsApi } from '../api/backups';

export type BackupActivity = null | 'backing-up' | 'restoring';

export const useBackupsStore = defineStore('backups', () => {
  const list = ref<BackupList | null>(null);
  const activity = ref<BackupActivity>(null);

  async function load(): Promise<void> {
    list.value = await backupsApi.list();
  }

  /** Field → message for what the server would refuse; empty when valid. */
  function validate(patch: BackupSettingsPatch): Record<string, string> {
    const result = BackupSettingsPatchSchema.safeParse(patch);
    const errors: Record<string, string> = {};
    if (!result.success) for (const issue of result.error.issues) errors[issue.path.join('.')] ??= issue.message;
    if (patch.folder !== undefined && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(patch.folder)) errors.folder ??= 'an absolute path, e.g. /media/usb/fleetdesk';
    return errors;
  }

  async function saveSettings(patch: BackupSettingsPatch): Promise<void> {
    await backupsApi.patchSettings(patch);
    await load();
  }

  async function create(): Promise<BackupSummary> {
    activity.value = 'backing-up';
    try {
      const created = await backupsApi.create();
      await load();
      return created;
    } finally {
      activity.value = null;
    }
  }

  async function restore(id: string): Promise<RestoreResult> {
    activity.value = 'restoring';
    try {
      return await backupsApi.restore(id);
    } finally {
      activity.value = null;
    }
  }

  return { list, activity, load, validate, saveSettings, create, restore };
});
