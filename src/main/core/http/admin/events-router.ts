/** Admin REST for the audit log (fleet-wide and per device); the live stream is in sse.ts. */
import { Router } from 'express';
import { EventListQuerySchema } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { deviceIdOrThrow } from '../../ids';
import { deviceIdParam } from '../params';

export function createEventsRouter(services: FleetServices): Router {
  const router = Router();

  router.get('/events', (req, res) => {
    const query = EventListQuerySchema.parse(req.query);
    const deviceId = query.deviceId === undefined ? undefined : deviceIdOrThrow(query.deviceId);
    res.json(services.events.list({ ...query, deviceId }));
  });

  router.get('/devices/:id/events', (req, res) => {
    const deviceId = deviceIdParam(req);
    const query = EventListQuerySchema.omit({ deviceId: true }).parse(req.query);
    res.json(services.events.list({ ...query, deviceId }));
  });

  return router;
}
