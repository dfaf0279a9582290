/**
 * The device listener (LAN): v1 + legacy protocol and firmware download, nothing else.
 * No listing or editing here — that is admin-only on the loopback listener.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import { DEVICE_BODY_LIMIT_BYTES } from '../../../../shared/protocol';
import type { FleetServices } from '../../services/contracts';
import type { Scheduler } from '../../scheduler';
import { errorMiddleware, notFoundHandler } from '../errors';
import { createEsp8266UpdateRouter } from './esp8266-update-route';
import { createFirmwareRouter } from './firmware-route';
import { createLegacyRouter } from './legacy-router';
import { deviceJsonBody } from './json-body';
import { DEFAULT_REGISTER_RATE_LIMIT, RegisterGate, type RegisterRateLimit } from './register-gate';
import { addV1Routes } from './v1-router';

export { DEFAULT_REGISTER_RATE_LIMIT, type RegisterRateLimit } from './register-gate';

export interface DeviceAppDeps {
  services: FleetServices;
  logger: Logger;
  shutdownSignal: AbortSignal;
  registerRateLimit?: RegisterRateLimit;
  /** runs the registration gate's sweep (tests hold it) */
  scheduler?: Scheduler;
}

export interface DeviceApp {
  /** the listener's request handler: the registration gate, then express */
  handle: RequestListener;
  /** answers refusals still held and stops the gate's sweep */
  stop(): void;
}

export function createDeviceApp({ services, logger, shutdownSignal, registerRateLimit, scheduler }: DeviceAppDeps): DeviceApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Bodies are read per route and the v1 routes come first, so a check-in (nearly all device
  // traffic) passes no middleware or router it does not need.
  const jsonBody = deviceJsonBody(DEVICE_BODY_LIMIT_BYTES);
  addV1Routes(app, { services, shutdownSignal, jsonBody });
  // A v1 error (a refused registration in a flood) is answered here instead of being carried
  // through every router mounted below on its way to the end of the stack.
  app.use(errorMiddleware(logger));
  app.use('/api/v1', createFirmwareRouter(services, logger));
  app.use('/api/v1', createEsp8266UpdateRouter(services, logger));
  app.use('/api', createLegacyRouter(services, jsonBody));

  app.use(notFoundHandler);
  app.use(errorMiddleware(logger));

  const limit = registerRateLimit ?? DEFAULT_REGISTER_RATE_LIMIT;
  const gate = new RegisterGate({
    limit,
    scheduler,
    onRefused: (count, network) => services.admission.registrationRequestsRefused(count, network, limit),
  });
  return {
    handle: (req: IncomingMessage, res: ServerResponse) => {
      if (!gate.refuse(req, res)) app(req, res);
    },
    stop: () => gate.stop(),
  };
}
