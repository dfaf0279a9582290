/**
 * v1 device protocol (docs/protocol.md §4–§5): register and check-in with long-poll.
 * Thin: parse with the shared schemas, call services.protocol, shape the reply.
 *
 * The routes are added to the app itself with their full paths, check-in first: it is nearly all
 * device traffic, and a nested router mounted on a prefix cost a check-in about a tenth of its
 * server time in the benchmark profile (prefix trimming, a second router pass, param processing).
 */
import type { IRouter, Request, RequestHandler, Response } from 'express';
import { MAX_WAIT_SECONDS, RegisterRequestSchema, type CheckinReply, type CheckinRequest } from '../../../../shared/protocol';
import { FleetError } from '../../errors';
import type { FleetServices } from '../../services/contracts';
import { bearerToken, deviceIdParam, remoteAddress } from '../params';
import { parseCheckinBody } from './checkin-body';
import { sendJson } from './json-reply';

export interface V1RouterDeps {
  services: FleetServices;
  /** Aborts when the fleet stops, so held long-polls answer at once instead of delaying shutdown. */
  shutdownSignal: AbortSignal;
  /** reads the JSON body (the listener has no body parser in front of its routes) */
  jsonBody: RequestHandler;
}

/** `?wait=N`: whole seconds, clamped to MAX_WAIT_SECONDS; absent/empty = 0. */
export function parseWaitSeconds(req: Request): number {
  if (!req.url.includes('?')) return 0; // the common check-in: no query string to parse
  const raw = req.query.wait;
  if (raw === undefined || raw === '') return 0;
  if (typeof raw !== 'string' || !/^[0-9]{1,6}$/.test(raw)) throw new FleetError('bad_request', 'wait must be a whole number of seconds (0-60)');
  return Math.min(Number(raw), MAX_WAIT_SECONDS);
}

/** A reply the device has to act on is sent at once, even when it asked to long-poll. */
function hasNews(reply: CheckinReply): boolean {
  return reply.config !== undefined || reply.commands.length > 0 || reply.firmware !== undefined;
}

/** An AbortSignal that fires when the client goes away or the fleet shuts down. */
function requestLifetimeSignal(req: Request, shutdownSignal: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  // 'close' on the response fires when the socket closes before we answered (client gone).
  req.res?.once('close', abort);
  shutdownSignal.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      req.res?.off('close', abort);
      shutdownSignal.removeEventListener('abort', abort);
    },
  };
}

export function addV1Routes(app: IRouter, { services, shutdownSignal, jsonBody }: V1RouterDeps): void {
  /** Holds a long-poll until something for the device changes, then answers with a fresh check-in. */
  async function answerAfterChange(req: Request, res: Response, id: string, token: string | null, body: CheckinRequest, first: CheckinReply, waitSeconds: number): Promise<void> {
    const lifetime = requestLifetimeSignal(req, shutdownSignal);
    try {
      await services.protocol.waitForChange(id, waitSeconds * 1000, lifetime.signal);
    } finally {
      lifetime.dispose();
    }
    if (res.destroyed || req.socket.destroyed) return; // client gone: nobody to answer
    if (shutdownSignal.aborted) {
      sendJson(res, 200, first);
      return;
    }
    // Acks and the OTA report were recorded by the first call; this one only reads what changed.
    const second = services.protocol.checkin(id, token, { ...body, acks: [], ota: undefined }, remoteAddress(req));
    sendJson(res, 200, second);
  }

  // Synchronous unless the device long-polls: no promise or signal per ordinary check-in.
  app.post('/api/v1/devices/:id/checkin', jsonBody, (req, res, next) => {
    const id = deviceIdParam(req);
    const waitSeconds = parseWaitSeconds(req);
    const body = parseCheckinBody(req.body);
    const token = bearerToken(req);
    const first = services.protocol.checkin(id, token, body, remoteAddress(req));
    if (waitSeconds === 0 || hasNews(first) || shutdownSignal.aborted || req.socket.destroyed) {
      sendJson(res, 200, first);
      return;
    }
    // waitForChange is subscribed in the same tick as the check-in above, so no change can slip between.
    answerAfterChange(req, res, id, token, body, first, waitSeconds).catch(next);
  });

  app.post('/api/v1/devices/:id/register', jsonBody, (req, res) => {
    const id = deviceIdParam(req);
    const body = RegisterRequestSchema.parse(req.body ?? {});
    const { status, reply } = services.protocol.register(id, body, bearerToken(req), remoteAddress(req));
    sendJson(res, status, reply);
  });
}
