/** Admin REST for rollout campaigns, a device's update history and its firmware pin (contract: shared/api/rollouts.ts). */
import { Router } from 'express';
import { FirmwarePinSchema, RolloutCreateSchema, RolloutExcludeSchema } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { FleetError } from '../../errors';
import { deviceIdParam, intParam } from '../params';

/** Phases are numbered from 0, as RolloutPhase.index. */
function phaseIndexParam(raw: unknown): number {
  if (typeof raw !== 'string' || !/^[0-9]{1,2}$/.test(raw)) throw new FleetError('bad_request', 'phase index must be a whole number from 0');
  return Number(raw);
}
import { authorOf } from './auth';

export function createRolloutsRouter(services: FleetServices): Router {
  const router = Router();
  const rollouts = services.rollouts;

  router.get('/rollouts', (_req, res) => {
    res.json({ items: rollouts.list() });
  });
  router.post('/rollouts', (req, res) => {
    res.status(201).json(rollouts.create(RolloutCreateSchema.parse(req.body ?? {}), authorOf(res)));
  });
  router.get('/rollouts/:rid', (req, res) => {
    res.json(rollouts.get(intParam(req, 'rid')));
  });
  router.post('/rollouts/:rid/pause', (req, res) => {
    res.json(rollouts.pause(intParam(req, 'rid'), authorOf(res)));
  });
  router.post('/rollouts/:rid/resume', (req, res) => {
    res.json(rollouts.resume(intParam(req, 'rid'), authorOf(res)));
  });
  router.post('/rollouts/:rid/abort', (req, res) => {
    res.json(rollouts.abort(intParam(req, 'rid'), authorOf(res)));
  });
  router.post('/rollouts/:rid/phases/:index/rollback', (req, res) => {
    res.json(rollouts.rollbackPhase(intParam(req, 'rid'), phaseIndexParam(req.params.index), authorOf(res)));
  });
  router.post('/rollouts/:rid/exclude', (req, res) => {
    res.json(rollouts.exclude(intParam(req, 'rid'), RolloutExcludeSchema.parse(req.body ?? {}).devices, authorOf(res)));
  });
  router.get('/devices/:id/updates', (req, res) => {
    res.json({ items: rollouts.history(deviceIdParam(req)) });
  });
  router.put('/devices/:id/firmware-pin', (req, res) => {
    res.json(rollouts.setPinned(deviceIdParam(req), FirmwarePinSchema.parse(req.body ?? {}).pinned, authorOf(res)));
  });
  return router;
}
