/**
 * The registration request limit of the device listener, in front of express: POSTs other than
 * check-ins (the registration routes, v1 register and legacy POST, and anything unknown) per client
 * network (IPv4 /24, IPv6 /64) and fixed window, whether they would create anything or not (what
 * may be created is budgeted in the services).
 *
 * A flood is nearly all refusals, and a real device's check-in waits behind whatever the server is
 * doing, so a refusal must cost next to nothing: it is decided from the URL and the socket before
 * routing or body parsing (the body is drained unread); its answer is one prebuilt body; the
 * operator hears of refusals once per sweep (counted, not one event each). Refused requests are
 * answered at the next sweep with `Connection: close`, not at once: a flooding client waits out
 * the sweep on each of its connections and then has to connect again, so its rate drops to a few
 * requests per connection and second instead of as many as the server can answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { intervalScheduler, type Scheduler } from '../../scheduler';
import { isLoopback, networkOf } from '../../services/admission/network';

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

/** How often held refusals are answered (and refusals reported). */
export const REFUSAL_SWEEP_MS = 500;
/**
 * Networks counted per window. More distinct networks than this in one window (only an IPv6 client
 * spraying /64s does that) share one count, so the map stays bounded and the flood stays limited.
 */
const MAX_NETWORKS = 10_000;
const OVERFLOW_KEY = '*';

const REFUSAL_BODY = Buffer.from(JSON.stringify({ error: { code: 'rate_limited', message: 'too many registrations from this network; retry later' } }));

/** the network of a connection, worked out once per connection rather than per request */
const NETWORK = Symbol('clientNetwork');
type GateSocket = Socket & { [NETWORK]?: string | null };

/**
 * Whether a POST is a check-in; every other POST of the device listener is a registration (v1
 * register, legacy POST) or unknown, and counts. Routing ignores case and a trailing slash, so
 * this does too (no allocation for the usual lower-case path).
 */
export function isCheckinPath(url: string): boolean {
  const query = url.indexOf('?');
  let end = query === -1 ? url.length : query;
  if (end > 1 && url.charCodeAt(end - 1) === 0x2f /* / */) end -= 1;
  if (end < 8) return false;
  return url.endsWith('/checkin', end) || url.slice(end - 8, end).toLowerCase() === '/checkin';
}

export interface RegisterGateOptions {
  limit: RegisterRateLimit;
  /** told once per sweep how many registration requests were refused, and the latest network */
  onRefused: (count: number, network: string) => void;
  scheduler?: Scheduler;
  now?: () => number;
}

export class RegisterGate {
  private readonly counts = new Map<string, number>();
  private windowStart = -Infinity;
  private held: ServerResponse[] = [];
  private refused = 0;
  private lastNetwork = '';
  /** the sweep starts with the first refusal: a listener nobody floods runs no timer for it */
  private stopSweeping: (() => void) | null = null;

  constructor(private readonly options: RegisterGateOptions) {}

  /** True when the request was refused (its answer follows at the next sweep); false: serve it. */
  refuse(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST' || isCheckinPath(req.url ?? '')) return false;
    const network = this.networkOf(req.socket);
    if (network === null) return false;
    const now = (this.options.now ?? Date.now)();
    if (now - this.windowStart >= this.options.limit.windowMs) {
      this.windowStart = now;
      this.counts.clear();
    }
    const key = this.counts.has(network) || this.counts.size < MAX_NETWORKS ? network : OVERFLOW_KEY;
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count <= this.options.limit.max) return false;
    this.refused += 1;
    this.lastNetwork = network;
    // The body is drained, never parsed: closing a socket with unread bytes makes the kernel reset
    // it, and the client would see a reset instead of the 429 and its Retry-After.
    req.resume();
    this.held.push(res);
    this.stopSweeping ??= (this.options.scheduler ?? intervalScheduler).every(REFUSAL_SWEEP_MS, () => this.sweep());
    return true;
  }

  /** Answers the held refusals and reports them. */
  sweep(): void {
    const held = this.held;
    if (held.length > 0) {
      this.held = [];
      const now = (this.options.now ?? Date.now)();
      const retryAfter = String(Math.max(1, Math.ceil((this.windowStart + this.options.limit.windowMs - now) / 1000)));
      const headers = ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(REFUSAL_BODY.length), 'Retry-After', retryAfter, 'Connection', 'close'];
      for (const res of held) {
        if (res.destroyed || res.headersSent) continue; // the client went away meanwhile
        res.writeHead(429, headers);
        res.end(REFUSAL_BODY);
      }
    }
    if (this.refused > 0) {
      const count = this.refused;
      this.refused = 0;
      this.options.onRefused(count, this.lastNetwork);
    }
  }

  /** Answers what is held (the listener is closing) and stops the sweep. */
  stop(): void {
    this.stopSweeping?.();
    this.stopSweeping = null;
    this.sweep();
  }

  private networkOf(socket: GateSocket): string | null {
    let network = socket[NETWORK];
    if (network === undefined) {
      const address = socket.remoteAddress ?? '';
      network = socket[NETWORK] = this.options.limit.exemptLoopback && isLoopback(address) ? null : networkOf(address);
    }
    return network;
  }
}
