/** Admin REST for admission: claims on existing devices, pre-authorised ids, budgets and caps. */
import { Router } from 'express';
import { PreauthorizeSchema } from '../../../../shared/api/claims';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam } from '../params';
import { authorOf } from './auth';

export function createAdmissionRouter(services: FleetServices): Router {
  const router = Router();
  const admission = services.admission;

  router.get('/claims', (_req, res) => {
    res.json(admission.claims());
  });
  router.post('/claims/:id/approve', (req, res) => {
    res.json(admission.approveClaim(deviceIdParam(req), authorOf(res)));
  });
  router.delete('/claims/:id', (req, res) => {
    admission.rejectClaim(deviceIdParam(req), authorOf(res));
    res.status(204).end();
  });

  router.get('/preauthorized', (_req, res) => {
    res.json(admission.preauthorized());
  });
  router.post('/preauthorized', (req, res) => {
    res.status(201).json(admission.preauthorize(PreauthorizeSchema.parse(req.body ?? {}), authorOf(res)));
  });
  router.delete('/preauthorized/:id', (req, res) => {
    admission.removePreauthorized(deviceIdParam(req), authorOf(res));
    res.status(204).end();
  });

  router.get('/limits', (_req, res) => {
    res.json(admission.limits());
  });

  return router;
}
