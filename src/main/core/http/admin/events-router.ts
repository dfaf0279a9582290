/** Admin REST for the audit log (fleet-wide and per device); the live stream is in sse.ts. */
import { Router } from 'express';
import { EventListQuerySchema } from '../../../../shared/api';
import { normalizeDeviceId } from '../../../../shared/device-id';
import { FleetError } from '../../errors';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam } from '../params';

export function createEventsRouter(services: FleetServices): Router {
  const router = Router();

  router.get('/events', (req, res) => {
    const query = EventListQuerySchema.parse(req.query);
    let deviceId = query.deviceId;
    if (deviceId !== undefined) {
      const normalised = normalizeDeviceId(deviceId);
      if (!normalised) throw new FleetError('bad_id', 'deviceId must be a MAC address or a safe name');
      deviceId = normalised;
    }
    res.json(services.events.list({ ...query, deviceId }));
  });

  router.get('/devices/:id/events', (req, res) => {
    const deviceId = deviceIdParam(req);
    const query = EventListQuerySchema.omit({ deviceId: true }).parse(req.query);
    res.json(services.events.list({ ...query, deviceId }));
  });

  return router;
}
