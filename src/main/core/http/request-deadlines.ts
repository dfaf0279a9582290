/**
 * Deadlines for requests to arrive completely (headers and body), kept by one coarse sweep over the
 * open connections instead of a timer and two listeners per request.
 *
 * Node's own requestTimeout did not cut a client dripping its body (measured: cut only after ~10 s
 * with a 1.5 s limit), so the listener enforces the deadline itself. A timer per request plus its
 * 'end'/'close' listeners and closures was a measurable share of a check-in's server time (and of
 * its garbage); here a request costs two property writes on its socket, and the sweep, a few times
 * per timeout, looks at the one request each connection is receiving.
 *
 * A request that has arrived completely (`req.complete`) is never cut: a held long-poll waits for
 * its answer, not for its client.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { intervalScheduler, type Scheduler } from '../scheduler';

/** the request a connection is receiving, and the sweep time it started at */
const RECEIVING = Symbol('receivingRequest');
const STARTED_AT = Symbol('requestStartedAt');

interface TrackedSocket extends Socket {
  [RECEIVING]?: IncomingMessage;
  [STARTED_AT]?: number;
}

export interface RequestDeadlineOptions {
  /** time for a request to arrive completely */
  timeoutMs: number;
  scheduler?: Scheduler;
  /** monotonic milliseconds (tests move it by hand) */
  now?: () => number;
}

export class RequestDeadlines {
  readonly sweepEveryMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  /** the time of the latest sweep: requests are stamped with it, not with a clock read each */
  private coarseNow: number;
  private readonly stopSweeping: () => void;

  constructor(
    private readonly sockets: ReadonlySet<Socket>,
    options: RequestDeadlineOptions,
  ) {
    this.timeoutMs = options.timeoutMs;
    this.now = options.now ?? (() => performance.now());
    this.coarseNow = this.now();
    // a few sweeps per timeout, at most one a second: a client is cut between 1 and 1½ × its timeout
    this.sweepEveryMs = Math.max(50, Math.min(1000, Math.floor(options.timeoutMs / 4)));
    this.stopSweeping = (options.scheduler ?? intervalScheduler).every(this.sweepEveryMs, () => this.sweep());
  }

  /** Called once per request, as it starts (its headers have arrived). */
  started(req: IncomingMessage): void {
    const socket = req.socket as TrackedSocket;
    socket[RECEIVING] = req;
    socket[STARTED_AT] = this.coarseNow;
  }

  /** Cuts every connection whose current request is still arriving past its deadline. */
  sweep(): void {
    const now = (this.coarseNow = this.now());
    // a stamp may be up to one sweep older than the request it marks: give that back
    const cutBefore = now - this.timeoutMs - this.sweepEveryMs;
    for (const socket of this.sockets as ReadonlySet<TrackedSocket>) {
      const req = socket[RECEIVING];
      if (req === undefined || req.complete) continue;
      if (socket[STARTED_AT]! <= cutBefore) socket.destroy();
    }
  }

  stop(): void {
    this.stopSweeping();
  }
}
