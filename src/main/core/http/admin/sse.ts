/**
 * GET /api/events/stream: Server-Sent Events of FleetDelta batches: the UI gets changes, never
 * whole lists (those it pages through REST). Deltas are collected
 * and sent as one `{deltas:[…]}` message at most every BATCH_INTERVAL_MS; a comment line every
 * HEARTBEAT_MS keeps proxies and the browser from timing the stream out.
 */
import type { RequestHandler } from 'express';
import type { DeltaBatch, FleetDelta } from '../../../../shared/api';
import type { DeltaBus } from '../../services/contracts';

export const BATCH_INTERVAL_MS = 250;
export const HEARTBEAT_MS = 15_000;

/** The clock and the one-shot timer the batching runs on; tests pass their own to count batches. */
export interface BatchTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: BatchTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createDeltaStreamHandler(deltas: DeltaBus, shutdownSignal: AbortSignal, timers: BatchTimers = realTimers): RequestHandler {
  return (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');

    let pending: FleetDelta[] = [];
    let batchTimer: unknown = null;
    let lastSentAt = 0;

    const flush = () => {
      batchTimer = null;
      if (pending.length === 0) return;
      const batch: DeltaBatch = { deltas: pending };
      pending = [];
      lastSentAt = timers.now();
      res.write(`data: ${JSON.stringify(batch)}\n\n`);
    };

    const unsubscribe = deltas.subscribe((delta) => {
      pending.push(delta);
      if (batchTimer) return;
      const wait = Math.max(0, lastSentAt + BATCH_INTERVAL_MS - timers.now());
      batchTimer = timers.setTimeout(flush, wait);
    });

    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);

    const close = () => {
      unsubscribe();
      clearInterval(heartbeat);
      if (batchTimer) timers.clearTimeout(batchTimer);
      shutdownSignal.removeEventListener('abort', endStream);
    };
    const endStream = () => res.end();
    res.on('close', close);
    if (shutdownSignal.aborted) endStream();
    else shutdownSignal.addEventListener('abort', endStream, { once: true });
  };
}
