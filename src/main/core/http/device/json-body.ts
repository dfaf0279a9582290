/**
 * Request bodies on the device listener (docs/protocol.md §2): JSON whatever the Content-Type says,
 * at most DEVICE_BODY_LIMIT_BYTES, top level an object or array.
 *
 * Nearly every device request is a small UTF-8 body with a Content-Length, so that case is read
 * here directly: body-parser's generality (content negotiation, charsets, inflation, raw-body
 * streams) was about a tenth of a check-in's server time in the benchmark profile. Everything else
 * (chunked or compressed bodies, other charsets, oversize bodies) goes to body-parser with the same
 * options, so those keep its exact behaviour: 413, 415, utf-16, gzip…
 */
import express, { type RequestHandler } from 'express';
import { FleetError } from '../../errors';

/** charset parameter of a Content-Type, e.g. `application/json; charset="UTF-8"` */
const CHARSET_PARAM = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

function isUtf8OrUnspecified(contentType: string | undefined): boolean {
  if (contentType === undefined || !contentType.includes('=')) return true;
  const charset = CHARSET_PARAM.exec(contentType)?.[1];
  return charset === undefined || charset.toLowerCase() === 'utf-8';
}

/** The declared length when this request is one the fast path reads, otherwise null. */
function smallPlainBodyLength(headers: import('node:http').IncomingHttpHeaders, limit: number): number | null {
  if (headers['transfer-encoding'] !== undefined) return null;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return null;
  if (!isUtf8OrUnspecified(headers['content-type'])) return null;
  const declared = headers['content-length'];
  if (declared === undefined || !/^[0-9]{1,5}$/.test(declared)) return null;
  const length = Number(declared);
  return length <= limit ? length : null;
}

/** JSON.parse with body-parser's rules: empty = {}, BOM ignored, top level must be an object or array. */
export function parseDeviceJson(text: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (json.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    // the parser's own words help whoever writes a client (same envelope as body-parser errors get)
    throw new FleetError('bad_request', 'malformed JSON body', (err as Error).message);
  }
  if (value === null || typeof value !== 'object') {
    throw new FleetError('bad_request', 'malformed JSON body', 'the body must be a JSON object or array');
  }
  return value;
}

export function deviceJsonBody(limit: number): RequestHandler {
  const general = express.json({ limit, type: () => true, strict: true });
  return (req, res, next) => {
    const { headers } = req;
    // no body at all (a GET): body-parser leaves req.body undefined too
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return next();
    const length = smallPlainBodyLength(headers, limit);
    if (length === null) return general(req, res, next);

    // Usually one chunk. No 'error' listener: an aborted request then ends without 'end' or an
    // error (Node emits it only to listeners), so there is nobody to answer and nothing left behind.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      try {
        req.body = parseDeviceJson(raw.toString('utf8'));
      } catch (err) {
        next(err);
        return;
      }
      next();
    });
  };
}
