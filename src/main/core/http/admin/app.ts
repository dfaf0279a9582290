/**
 * The admin listener (127.0.0.1 only): REST under /api, the SSE delta stream, /login and the UI.
 * Order matters: loopback guard → security headers → /login → session/bearer → routes → 404 → errors.
 */
import { stringifySetCookie } from 'cookie';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { SeenDevice, ServerInfo } from '../../../../shared/api';
import type { BackupService } from '../../backups/backup-service';
import type { FleetServices } from '../../services/contracts';
import type { TransferService } from '../../services/transfer/transfer-service';
import { errorMiddleware, notFoundHandler } from '../errors';
import { rejectReservedKeys } from '../reserved-keys';
import { loopbackGuard, requireAdmin, sendUnauthorized, SESSION_COOKIE, type AdminAuth } from './auth';
import { createBackupsRouter } from './backups-router';
import { createCommandsRouter } from './commands-router';
import { createConfigRouter } from './config-router';
import { createAdmissionRouter } from './admission-router';
import type { IntegrityChecker } from '../../db/integrity-check';
import { createDevicesRouter } from './devices-router';
import { createEventsRouter } from './events-router';
import { createFirmwareAdminRouter } from './firmware-router';
import { createMaintenanceRouter } from './maintenance-router';
import { createProfilesRouter } from './profiles-router';
import { createRolloutsRouter } from './rollouts-router';
import { createSettingsRouter } from './settings-router';
import { createDeltaStreamHandler } from './sse';
import { createStaticRouter } from './static';
import { createTelemetryRouter } from './telemetry-router';
import { createTransferRouter } from './transfer-router';

export const ADMIN_BODY_LIMIT = '1mb';

/** naive-ui injects <style> at runtime, hence 'unsafe-inline' for styles only; scripts stay 'self'. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (req.path.startsWith('/api/') || req.path === '/login') res.setHeader('Cache-Control', 'no-store');
  next();
};

export interface AdminAppDeps {
  services: FleetServices;
  auth: AdminAuth;
  logger: Logger;
  /** the bound admin port (known after listen) for the Host / Origin checks */
  port: () => number;
  serverInfo: () => ServerInfo;
  /** devices advertising themselves over mDNS (GET /api/discovery/seen) */
  seenDevices: () => SeenDevice[];
  rendererDir?: string;
  shutdownSignal: AbortSignal;
  /** the full database check on demand */
  integrity: IntegrityChecker;
  backups: BackupService;
  transfer: TransferService;
}

export function createAdminApp(deps: AdminAppDeps): Express {
  const { services, auth, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(loopbackGuard(deps.port));
  app.use(securityHeaders);

  app.get('/login', (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const session = token ? auth.redeemLoginToken(token) : null;
    if (!session) {
      // Reopening an old link in a browser that is already signed in just shows the app.
      if (auth.authorOf(req) === 'admin') res.redirect(302, '/');
      else sendUnauthorized(req, res, 'This login link is unknown, already used or expired');
      return;
    }
    res.setHeader('Set-Cookie', auth.sessionCookie(session));
    res.redirect(302, '/');
  });

  app.use(requireAdmin(auth));
  app.post('/api/session/logout', (req, res) => {
    auth.logout(req);
    res.setHeader('Set-Cookie', stringifySetCookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: '/', maxAge: 0 }));
    res.status(204).end();
  });
  app.use('/api', express.json({ limit: ADMIN_BODY_LIMIT, strict: true }), rejectReservedKeys);
  app.get('/api/events/stream', createDeltaStreamHandler(services.deltas, deps.shutdownSignal));
  for (const router of [
    createTransferRouter(deps.transfer), // before the devices router: /devices/export is not a device id
    createDevicesRouter(services),
    createConfigRouter(services),
    createCommandsRouter(services),
    createProfilesRouter(services),
    createFirmwareAdminRouter(services),
    createRolloutsRouter(services),
    createEventsRouter(services),
    createTelemetryRouter(services),
    createSettingsRouter(services, deps.serverInfo, deps.seenDevices),
    createAdmissionRouter(services),
    createMaintenanceRouter(deps.integrity),
    createBackupsRouter(deps.backups),
  ]) {
    app.use('/api', router);
  }
  app.use('/api', notFoundHandler);
  app.use(createStaticRouter(deps.rendererDir));
  app.use(notFoundHandler);
  app.use(errorMiddleware(logger));
  return app;
}
