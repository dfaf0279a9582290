/**
 * The one error middleware of both listeners: every rejection becomes the JSON error envelope
 * `{error:{code,message,details?}}` (src/shared/errors.ts). Unknown errors are logged and answered
 * with a bare 500 so nothing internal (stack, SQL, paths) leaks to a client.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode, type ErrorEnvelope } from '../../../shared/errors';
import { FleetError, isStorageFull, notFound, STORAGE_FULL_MESSAGE } from '../errors';

export function sendError(res: Response, status: number, code: ErrorCode, message: string, details?: unknown): void {
  const envelope: ErrorEnvelope = { error: details === undefined ? { code, message } : { code, message, details } };
  res.status(status).json(envelope);
}

/** Errors raised by body-parser carry a `type`; map the ones a client caused to their 4xx. */
const BODY_PARSER_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'bad_request', message: 'malformed JSON body' },
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'request body too large' },
  'entity.verify.failed': { status: 400, code: 'bad_request', message: 'request body rejected' },
  'request.aborted': { status: 400, code: 'bad_request', message: 'request aborted' },
  'request.size.invalid': { status: 400, code: 'bad_request', message: 'request size did not match Content-Length' },
  'encoding.unsupported': { status: 415, code: 'unsupported_media_type', message: 'unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'unsupported_media_type', message: 'unsupported charset' },
  'stream.encoding.set': { status: 500, code: 'internal', message: 'internal error' },
};

/** The catalogue's code for a status a library raised (the first listed wins: 400 is bad_request). */
const CODE_OF_STATUS = new Map<number, ErrorCode>();
for (const code of ERROR_CODES) {
  if (!CODE_OF_STATUS.has(ERROR_CATALOGUE[code].status)) CODE_OF_STATUS.set(ERROR_CATALOGUE[code].status, code);
}

/** The 4xx status an http-errors style error carries (`status` / `statusCode`), or null. */
function clientErrorStatus(err: unknown): number | null {
  if (err === null || typeof err !== 'object') return null;
  const { status, statusCode } = err as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 500 ? value : null;
}

function zodDetails(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Too late for an envelope (e.g. a stream broke mid-download): cut the connection.
      logger.warn({ err, url: req.originalUrl }, 'error after the reply had started');
      next(err);
      return;
    }
    if (err instanceof FleetError) {
      if (err.status >= 500 && err.code !== 'capacity_reached') logger.error({ err, url: req.originalUrl }, 'service error');
      if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      sendError(res, err.status, err.code, err.message, err.details);
      return;
    }
    if (isStorageFull(err)) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'disk full: a change was refused');
      sendError(res, 507, 'storage_full', STORAGE_FULL_MESSAGE);
      return;
    }
    if (err instanceof ZodError) {
      sendError(res, 400, 'bad_request', 'invalid request', zodDetails(err));
      return;
    }
    const type = (err as { type?: unknown } | null)?.type;
    const mapped = typeof type === 'string' ? BODY_PARSER_ERRORS[type] : undefined;
    if (mapped && mapped.status < 500) {
      // The parser's own words ("Unexpected token } in JSON at position 9") help whoever writes a client.
      const parserMessage = type === 'entity.parse.failed' && err instanceof Error ? err.message : undefined;
      sendError(res, mapped.status, mapped.code, mapped.message, parserMessage);
      return;
    }
    // Other client errors raised by express itself, e.g. a path with broken %-encoding (400).
    const status = clientErrorStatus(err);
    if (status !== null) {
      sendError(res, status, CODE_OF_STATUS.get(status) ?? 'bad_request', status === 400 ? 'malformed request' : 'request refused');
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unexpected error while handling a request');
    sendError(res, 500, 'internal', 'internal error');
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  const err = notFound('route', `${req.method} ${req.path}`);
  sendError(res, err.status, err.code, err.message);
};
