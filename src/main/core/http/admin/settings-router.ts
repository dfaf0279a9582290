/** Admin REST for settings and the server panel (addresses, mDNS state, devices seen on the LAN). */
import { Router } from 'express';
import { SettingsPatchSchema, type SeenDevice, type ServerInfo } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { authorOf } from './auth';

export function createSettingsRouter(services: FleetServices, serverInfo: () => ServerInfo, seenDevices: () => SeenDevice[]): Router {
  const router = Router();

  router.get('/settings', (_req, res) => {
    res.json(services.settings.get());
  });

  router.patch('/settings', (req, res) => {
    res.json(services.settings.patch(SettingsPatchSchema.parse(req.body ?? {}), authorOf(res)));
  });

  // a dry run: what the patch would do to the fleet right now; nothing is saved
  router.post('/settings/preview', (req, res) => {
    res.json(services.settings.preview(SettingsPatchSchema.parse(req.body ?? {})));
  });

  router.get('/server', (_req, res) => {
    res.json(serverInfo());
  });

  router.get('/discovery/seen', (_req, res) => {
    res.json(seenDevices());
  });

  return router;
}
