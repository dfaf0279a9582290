/** Admin REST for a device's telemetry chart: bounded, downsampled series, never the whole history. */
import { Router } from 'express';
import { TelemetryQuerySchema } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam } from '../params';

export function createTelemetryRouter(services: FleetServices): Router {
  const router = Router();
  router.get('/devices/:id/telemetry', (req, res) => {
    const id = deviceIdParam(req);
    res.json(services.telemetry.series(id, TelemetryQuerySchema.parse(req.query)));
  });
  return router;
}
