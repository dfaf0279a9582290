/** Admin REST for telemetry charts and the dashboard: bounded, downsampled series, never the whole history. */
import { Router } from 'express';
import { HistoryQuerySchema, TelemetryQuerySchema } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam } from '../params';

export function createTelemetryRouter(services: FleetServices): Router {
  const router = Router();
  router.get('/devices/:id/telemetry', (req, res) => {
    const id = deviceIdParam(req);
    res.json(services.telemetry.series(id, TelemetryQuerySchema.parse(req.query)));
  });
  router.get('/devices/:id/history', (req, res) => {
    const id = deviceIdParam(req);
    res.json(services.telemetry.history(id, HistoryQuerySchema.parse(req.query).range));
  });
  router.get('/devices/:id/availability', (req, res) => {
    const id = deviceIdParam(req);
    res.json(services.telemetry.availability(id, HistoryQuerySchema.parse(req.query).range));
  });
  router.get('/dashboard', (req, res) => {
    res.json(services.telemetry.dashboard(HistoryQuerySchema.parse(req.query).range));
  });
  return router;
}
