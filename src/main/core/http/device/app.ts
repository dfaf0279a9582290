/**
 * The device listener (LAN): v1 + legacy protocol and firmware download, nothing else.
 * No listing or editing here — that is admin-only on the loopback listener.
 */
import express, { type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import { DEVICE_BODY_LIMIT_BYTES } from '../../../../shared/protocol';
import { isLoopback, networkOf } from '../../services/admission/network';
import type { FleetServices } from '../../services/contracts';
import { errorMiddleware, notFoundHandler, sendError } from '../errors';
import { remoteAddress } from '../params';
import { createEsp8266UpdateRouter } from './esp8266-update-route';
import { createFirmwareRouter } from './firmware-route';
import { createLegacyRouter } from './legacy-router';
import { deviceJsonBody } from './json-body';
import { addV1Routes } from './v1-router';

/**
 * Requests to the registration routes (v1 register and legacy POST), per client network (IPv4 /24,
 * IPv6 /64), whether they create anything or not; what may be created is budgeted in the services.
 */
export interface RegisterRateLimit {
  windowMs: number;
  /** registration requests per window and client network */
  max: number;
  /**
   * Loopback clients (the simulator, the benchmark, the operator's own tools) are not limited:
   * the limit protects against a LAN flood, and those run on the operator's machine anyway.
   */
  exemptLoopback: boolean;
}

export const DEFAULT_REGISTER_RATE_LIMIT: RegisterRateLimit = { windowMs: 60_000, max: 120, exemptLoopback: true };

export interface DeviceAppDeps {
  services: FleetServices;
  logger: Logger;
  shutdownSignal: AbortSignal;
  registerRateLimit?: RegisterRateLimit;
}

function createRegisterLimiter(limit: RegisterRateLimit): RequestHandler {
  return rateLimit({
    windowMs: limit.windowMs,
    limit: limit.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => networkOf(remoteAddress(req)),
    skip: (req) => limit.exemptLoopback && isLoopback(remoteAddress(req)),
    // our key is the socket address (no proxy in front of a LAN listener), not req.ip
    validate: { keyGeneratorIpFallback: false, trustProxy: false, xForwardedForHeader: false },
    handler: (_req, res) => sendError(res, 429, 'rate_limited', 'too many registrations from this network; retry later'),
  });
}

export function createDeviceApp({ services, logger, shutdownSignal, registerRateLimit }: DeviceAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Bodies are read per route and the v1 routes come first, so a check-in (nearly all device
  // traffic) passes no middleware or router it does not need.
  const jsonBody = deviceJsonBody(DEVICE_BODY_LIMIT_BYTES);
  const registerLimiter = createRegisterLimiter(registerRateLimit ?? DEFAULT_REGISTER_RATE_LIMIT);
  addV1Routes(app, { services, shutdownSignal, registerLimiter, jsonBody });
  app.use('/api/v1', createFirmwareRouter(services, logger));
  app.use('/api/v1', createEsp8266UpdateRouter(services, logger));
  app.use('/api', createLegacyRouter(services, jsonBody, registerLimiter));

  app.use(notFoundHandler);
  app.use(errorMiddleware(logger));
  return app;
}
