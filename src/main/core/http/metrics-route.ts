/**
 * GET /metrics for both listeners that serve it (the admin listener behind its own auth, and the
 * optional LAN metrics listener). Scrapes that arrive while one is being computed share its text:
 * a burst of scrapers costs one walk over the fleet, not one each.
 */
import type { RequestHandler } from 'express';
import type { MetricsRegistry } from '../metrics/registry';

export function metricsHandler(metrics: MetricsRegistry): RequestHandler {
  let inFlight: Promise<{ contentType: string; body: string }> | null = null;
  return (_req, res, next) => {
    inFlight ??= metrics.scrape().finally(() => {
      inFlight = null;
    });
    inFlight.then(({ contentType, body }) => {
      res.setHeader('Content-Type', contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(body);
    }, next);
  };
}
