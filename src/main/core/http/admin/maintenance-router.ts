/** Database maintenance on demand: the full integrity check runs in a worker; the UI polls its report. */
import { Router } from 'express';
import type { IntegrityChecker } from '../../db/integrity-check';

export function createMaintenanceRouter(integrity: IntegrityChecker): Router {
  const router = Router();
  router.get('/maintenance/integrity', (_req, res) => {
    res.json(integrity.report());
  });
  router.post('/maintenance/integrity', (_req, res) => {
    res.status(202).json(integrity.start());
  });
  return router;
}
