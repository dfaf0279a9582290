/**
 * Legacy protocol of the original design (docs/protocol.md §9), kept for devices that still speak it.
 * Unknown ids keep their historical reply body `{status:'NOK', message:'Device NOT Registered'}`
 * (with a 404) instead of the error envelope, because old firmware parses exactly that.
 */
import { Router, type RequestHandler, type Response } from 'express';
import { LEGACY_NOT_REGISTERED, LegacyRegisterRequestSchema } from '../../../../shared/protocol';
import { FleetError } from '../../errors';
import type { FleetServices } from '../../services/contracts';
import { deviceIdParam, remoteAddress } from '../params';

function sendLegacy(res: Response, produce: () => Record<string, unknown>): void {
  let reply: Record<string, unknown>;
  try {
    reply = produce();
  } catch (err) {
    if (err instanceof FleetError && err.code === 'not_found') {
      res.status(404).json(LEGACY_NOT_REGISTERED);
      return;
    }
    throw err;
  }
  res.status(reply.status === 'NOK' ? 404 : 200).json(reply);
}

export function createLegacyRouter(services: FleetServices, jsonBody: RequestHandler): Router {
  const router = Router();

  router.post('/devices/:id', jsonBody, (req, res) => {
    const id = deviceIdParam(req);
    const body = LegacyRegisterRequestSchema.parse(req.body ?? {});
    sendLegacy(res, () => services.protocol.legacyRegister(id, body, remoteAddress(req)));
  });

  router.get('/devices/:id', (req, res) => {
    const id = deviceIdParam(req);
    sendLegacy(res, () => services.protocol.legacyConfig(id, remoteAddress(req)));
  });

  return router;
}
