/** Admin REST for device commands: list, queue, cancel. */
import { Router } from 'express';
import { z } from 'zod';
import { CommandCreateSchema } from '../../../../shared/api';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam, intParam } from '../params';
import { authorOf } from './auth';

const CommandListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export function createCommandsRouter(services: FleetServices): Router {
  const router = Router();
  const commands = services.commands;

  router.get('/devices/:id/commands', (req, res) => {
    const id = deviceIdParam(req);
    res.json(commands.list(id, CommandListQuerySchema.parse(req.query).limit));
  });

  router.post('/devices/:id/commands', (req, res) => {
    const id = deviceIdParam(req);
    const input = CommandCreateSchema.parse(req.body ?? {});
    res.status(201).json(commands.enqueue(id, input, authorOf(res)));
  });

  router.post('/commands/:cid/cancel', (req, res) => {
    res.json(commands.cancel(intParam(req, 'cid'), authorOf(res)));
  });

  return router;
}
