/** Admin REST for configuration: device overrides, profile defaults, history and restore. */
import { Router } from 'express';
import { z } from 'zod';
import { ConfigPutSchema, ProfileConfigPutSchema } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam, intParam } from '../params';
import { authorOf } from './auth';

const HistoryQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export function createConfigRouter(services: FleetServices): Router {
  const router = Router();
  const config = services.config;

  router.get('/devices/:id/config', (req, res) => {
    res.json(config.forDevice(deviceIdParam(req)));
  });

  router.put('/devices/:id/config', (req, res) => {
    const id = deviceIdParam(req);
    const { overrides } = ConfigPutSchema.parse(req.body ?? {});
    res.json(config.setDeviceOverrides(id, overrides, authorOf(res)));
  });

  router.get('/devices/:id/config/history', (req, res) => {
    const id = deviceIdParam(req);
    const { limit } = HistoryQuerySchema.parse(req.query);
    res.json(config.history({ deviceId: id }, limit));
  });

  router.get('/profiles/:pid/config', (req, res) => {
    const profileId = intParam(req, 'pid');
    res.json({ defaults: config.profileDefaults(profileId) });
  });

  router.put('/profiles/:pid/config', (req, res) => {
    const profileId = intParam(req, 'pid');
    const { defaults } = ProfileConfigPutSchema.parse(req.body ?? {});
    res.json(config.setProfileDefaults(profileId, defaults, authorOf(res)));
  });

  router.get('/profiles/:pid/config/history', (req, res) => {
    const profileId = intParam(req, 'pid');
    const { limit } = HistoryQuerySchema.parse(req.query);
    res.json(config.history({ profileId }, limit));
  });

  router.post('/config/revisions/:rid/restore', (req, res) => {
    res.json(config.restore(intParam(req, 'rid'), authorOf(res)));
  });

  return router;
}
