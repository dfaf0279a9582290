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

export function createDeltaStreamHandler(deltas: DeltaBus, shutdownSignal: AbortSignal): RequestHandler {
  return (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');

    let pending: FleetDelta[] = [];
    let batchTimer: NodeJS.Timeout | null = null;
    let lastSentAt = 0;

    const flush = () => {
      batchTimer = null;
      if (pending.length === 0) return;
      const batch: DeltaBatch = { deltas: pending };
      pending = [];
      lastSentAt = Date.now();
      res.write(`data: ${JSON.stringify(batch)}\n\n`);
    };

    const unsubscribe = deltas.subscribe((delta) => {
      pending.push(delta);
      if (batchTimer) return;
      const wait = Math.max(0, lastSentAt + BATCH_INTERVAL_MS - Date.now());
      batchTimer = setTimeout(flush, wait);
    });

    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);

    const close = () => {
      unsubscribe();
      clearInterval(heartbeat);
      if (batchTimer) clearTimeout(batchTimer);
      shutdownSignal.removeEventListener('abort', endStream);
    };
    const endStream = () => res.end();
    res.on('close', close);
    if (shutdownSignal.aborted) endStream();
    else shutdownSignal.addEventListener('abort', endStream, { once: true });
  };
}
