/**
 * A raw HTTP client for tests (node:http, not fetch): it can send any Host/Origin header, malformed
 * bodies and exact bytes, and returns the status, headers and body exactly as received.
 */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  /** the body parsed as JSON (undefined when it is not JSON) */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience: replies are asserted field by field
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  /** objects are sent as JSON (Content-Type added unless given); strings/buffers as they are */
  body?: unknown;
  signal?: AbortSignal;
}

export function httpRequest(baseUrl: string, path: string, init: RawRequest = {}): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string> = { ...init.headers };
  let payload: Buffer | undefined;
  if (init.body !== undefined) {
    if (typeof init.body === 'string' || Buffer.isBuffer(init.body)) payload = Buffer.from(init.body);
    else {
      payload = Buffer.from(JSON.stringify(init.body));
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: init.method ?? (payload ? 'POST' : 'GET'), headers, signal: init.signal, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
