/**
 * The optional metrics listener on the LAN, for a Prometheus server on another machine. It serves
 * GET /metrics and nothing else, only with its own bearer token (never the admin token, which must
 * not travel over the network), and it is bounded like anything a stranger can reach: few
 * connections per address, short timeouts, a scrape rate limit per client.
 */
import express, { type Express } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { MetricsRegistry } from '../metrics/registry';
import { hashSecret, secretMatches } from '../secrets';
import { errorMiddleware, notFoundHandler, sendError } from './errors';
import type { ConnectionLimits } from './listen';
import { metricsHandler } from './metrics-route';
import { bearerToken, remoteAddress } from './params';

/** Prometheus scrapes every 15–60 s; a few scrapers at once stay far below this. */
export const METRICS_LAN_SCRAPES_PER_MINUTE = 60;
/** A shorter token would be guessable over the network; the admin token has the same rule. */
export const MIN_METRICS_TOKEN_LENGTH = 24;

export const METRICS_LAN_CONNECTION_LIMITS: ConnectionLimits = {
  perAddress: 4, total: 64, headersTimeoutMs: 5_000, requestTimeoutMs: 10_000, exemptLoopback: false,
};

export interface MetricsLanOptions {
  /** default 0.0.0.0 */
  host?: string;
  /** 0 = any free port */
  port: number;
  token: string;
}

export function assertMetricsToken(token: string): void {
  if (token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new Error(`the metrics token must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long (got ${token.length})`);
  }
}

export function createMetricsLanApp(deps: { metrics: MetricsRegistry; token: string; logger: Logger }): Express {
  assertMetricsToken(deps.token);
  const tokenHash = hashSecret(deps.token);
  const app = express();
  app.disable('x-powered-by');
  app.use(rateLimit({
    windowMs: 60_000,
    limit: METRICS_LAN_SCRAPES_PER_MINUTE,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => remoteAddress(req),
    // no proxy in front of this listener: the socket address is the client
    validate: { keyGeneratorIpFallback: false, trustProxy: false, xForwardedForHeader: false },
    handler: (_req, res) => sendError(res, 429, 'rate_limited', `more than ${METRICS_LAN_SCRAPES_PER_MINUTE} requests a minute; scrape less often`),
  }));
  app.use((req, res, next) => {
    if (secretMatches(bearerToken(req), tokenHash)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="fleetdesk-metrics"');
    sendError(res, 401, 'unauthorized', 'send the metrics token as "Authorization: Bearer <token>" (the token given with --metrics-token)');
  });
  app.get('/metrics', metricsHandler(deps.metrics));
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.logger));
  return app;
}
