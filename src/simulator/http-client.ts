/**
 * The smallest HTTP client the simulator needs, on node:http so callers can pass a keep-alive
 * Agent: thousands of simulated devices (and the benchmark) must reuse sockets instead of
 * opening one per check-in. Global fetch cannot take an Agent without the undici package.
 */
import http from 'node:http';

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** serialised as JSON when present */
  json?: unknown;
  agent?: http.Agent;
  /** source address: on loopback each simulated device can come from its own 127.x.y.z, as from its own LAN address */
  localAddress?: string;
  /** whole request deadline; the request is destroyed after it */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
    /** from a 429's Retry-After header */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function httpRequest(options: HttpRequestOptions): Promise<HttpReply> {
  const payload = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json));
  const headers: Record<string, string> = { ...options.headers };
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  return new Promise<HttpReply>((resolve, reject) => {
    const req = http.request(options.url, { method: options.method, headers, agent: options.agent, signal: options.signal, localAddress: options.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`timeout after ${options.timeoutMs} ms: ${options.method} ${options.url}`)));
    }
    req.on('error', reject);
    req.end(payload);
  });
}

/** Parses a JSON reply body; a non-JSON body (e.g. a proxy's HTML) comes back as its text. */
export function parseJsonBody(reply: HttpReply): unknown {
  const text = reply.body.toString('utf8');
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** JSON request that throws HttpError on any non-2xx status, with the error envelope attached. */
export async function requestJson<T>(options: HttpRequestOptions): Promise<{ status: number; body: T }> {
  const reply = await httpRequest(options);
  const body = parseJsonBody(reply);
  if (reply.status < 200 || reply.status >= 300) {
    const retryAfter = Number(reply.headers['retry-after']);
    throw new HttpError(`${options.method} ${new URL(options.url).pathname} → ${reply.status} ${describeError(body)}`, reply.status, body, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  return { status: reply.status, body: body as T };
}

function describeError(body: unknown): string {
  if (body && typeof body === 'object' && 'error' in body) {
    const error = (body as { error?: { code?: string; message?: string } }).error;
    return `${error?.code ?? ''}: ${error?.message ?? ''}`;
  }
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body)?.slice(0, 200) ?? '';
}
