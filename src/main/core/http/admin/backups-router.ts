/** Admin REST for backups: settings, list, take one, restore one. */
import { Router } from 'express';
import { BackupSettingsPatchSchema } from '../../../../shared/api/backups';
import type { BackupService } from '../../backups/backup-service';

export function createBackupsRouter(backups: BackupService): Router {
  const router = Router();

  router.get('/backups', async (_req, res) => {
    res.json(await backups.list());
  });

  router.post('/backups', async (_req, res) => {
    res.status(201).json(await backups.create('manual'));
  });

  router.patch('/backups/settings', async (req, res) => {
    res.json(await backups.patchSettings(BackupSettingsPatchSchema.parse(req.body ?? {})));
  });

  router.post('/backups/:id/restore', async (req, res) => {
    res.json(await backups.restore(String(req.params.id)));
  });

  return router;
}
