/**
 * GET /api/events/stream delivers a batch of deltas after a change and unsubscribes on close; the
 * batching contract (at most one message per BATCH_INTERVAL_MS, no delta held longer) is checked
 * against a clock and timer the test moves by hand.
 */
import { createServer, request, type Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaBusImpl } from '../../../src/main/core/events/delta-bus';
import { BATCH_INTERVAL_MS, createDeltaStreamHandler, type BatchTimers } from '../../../src/main/core/http/admin/sse';
import type { DeltaBatch } from '../../../src/shared/api';
import { registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

interface SseClient {
  batches: DeltaBatch[];
  raw: string;
  waitFor(predicate: (batches: DeltaBatch[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
  status: number;
  contentType: string;
}

function openStream(baseUrl: string, token: string, path = '/api/events/stream'): Promise<SseClient> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } }, (res) => {
      const listeners = new Set<() => void>();
      const client: SseClient = {
        batches: [],
        raw: '',
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type']),
        waitFor(predicate, timeoutMs = 5_000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (!predicate(client.batches)) return;
              listeners.delete(check);
              clearTimeout(timer);
              done();
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              fail(new Error(`no matching batch within ${timeoutMs} ms; got ${client.raw}`));
            }, timeoutMs);
            listeners.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        client.raw += chunk;
        const messages = client.raw.split('\n\n');
        client.raw = messages.pop() ?? '';
        for (const message of messages) {
          const data = message.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (data) client.batches.push(JSON.parse(data) as DeltaBatch);
        }
        for (const listener of [...listeners]) listener();
      });
      res.on('error', () => undefined);
      resolve(client);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('SSE delta stream', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('delivers a batch after a change', async () => {
    const stream = await openStream(t.adminUrl, t.fleet.adminToken);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await registerDevice(t, 'aa:bb:cc:00:00:05');
    await t.admin('/api/devices/aa:bb:cc:00:00:05', { method: 'PATCH', body: { name: 'Porch' } });
    await stream.waitFor((batches) =>
      batches.some((b) => b.deltas.some((d) => d.type === 'device' && d.device.id === 'aa:bb:cc:00:00:05' && d.device.name === 'Porch')),
    );
    for (const batch of stream.batches) expect(Array.isArray(batch.deltas)).toBe(true);
    const bus = t.fleet.services.deltas as unknown as { hasListeners: boolean };
    expect(bus.hasListeners).toBe(true);
    stream.close();
    // closing the stream unsubscribes it (nothing else listens in this test)
    await expect.poll(() => bus.hasListeners, { timeout: 2_000 }).toBe(false);
  });

  it('does not keep the fleet from stopping', async () => {
    const stream = await openStream(t.adminUrl, t.fleet.adminToken);
    const started = Date.now();
    await t.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
    stream.close();
  });
});

/** A clock that only moves when the test says, with the one-shot timers the stream schedules on it. */
class HandMovedTimers implements BatchTimers {
  time = 1_700_000_000_000;
  /** when each timer ran: every run sends exactly one message (a timer is only set for a pending delta) */
  readonly ranAt: number[] = [];
  private queue: { at: number; run: () => void }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const timer = { at: this.time + ms, run };
    this.queue.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t !== handle);
  }

  get scheduled(): number {
    return this.queue.length;
  }

  /** Moves the clock to `to`, running every timer that falls due on the way, in order. */
  advanceTo(to: number): void {
    for (;;) {
      const due = this.queue.filter((t) => t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.queue = this.queue.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      this.ranAt.push(this.time);
      due.run();
    }
    this.time = to;
  }
}

describe('SSE batching', () => {
  let server: Server;
  let baseUrl: string;
  let bus: DeltaBusImpl;
  let timers: HandMovedTimers;
  const shutdown = new AbortController();

  beforeAll(async () => {
    bus = new DeltaBusImpl();
    timers = new HandMovedTimers();
    const app = express();
    app.get('/stream', createDeltaStreamHandler(bus, shutdown.signal, timers));
    server = createServer(app);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    shutdown.abort();
    await new Promise((done) => server.close(done));
  });

  /** A delta that carries the (hand-moved) time it was emitted at. */
  const emitAt = (time: number) => bus.emit({ type: 'device_removed', id: String(time) });
  const deltaTimes = (batch: DeltaBatch) => batch.deltas.map((d) => Number((d as { id: string }).id));

  it('sends at most one message per interval (4 a second) and holds no delta longer than one interval', async () => {
    const stream = await openStream(baseUrl, 'unused', '/stream');
    await expect.poll(() => bus.hasListeners).toBe(true);
    const start = timers.time;
    const ranBefore = timers.ranAt.length;

    // a burst at one instant is one message
    for (let i = 0; i < 100; i++) emitAt(start);
    expect(timers.scheduled).toBe(1);
    timers.advanceTo(start + 1);
    await stream.waitFor((batches) => batches.length === 1);
    expect(stream.batches[0]!.deltas).toHaveLength(100);

    // a steady stream for 3 s: one delta every 10 ms
    const steadyFrom = start + 1000;
    const emitted: number[] = [];
    for (let at = steadyFrom; at < steadyFrom + 3000; at += 10) {
      timers.advanceTo(at);
      emitAt(at);
      emitted.push(at);
    }
    timers.advanceTo(steadyFrom + 3000 + BATCH_INTERVAL_MS);
    const delivered = (batches: DeltaBatch[]) => batches.slice(1).flatMap(deltaTimes);
    await stream.waitFor((batches) => delivered(batches).length === emitted.length);
    expect(delivered(stream.batches)).toEqual(emitted); // nothing lost, duplicated or reordered

    const sentAt = timers.ranAt.slice(ranBefore + 1);
    const steadyBatches = stream.batches.slice(1);
    expect(steadyBatches).toHaveLength(sentAt.length); // one message per timer run
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(BATCH_INTERVAL_MS);
    for (let second = steadyFrom; second < steadyFrom + 3000; second += 100) {
      expect(sentAt.filter((t) => t >= second && t < second + 1000).length).toBeLessThanOrEqual(4);
    }
    steadyBatches.forEach((batch, i) => {
      for (const emittedAt of deltaTimes(batch)) {
        expect(sentAt[i]!).toBeGreaterThanOrEqual(emittedAt);
        expect(sentAt[i]! - emittedAt).toBeLessThanOrEqual(BATCH_INTERVAL_MS);
      }
    });
    // 3 s of constant change at 4 messages a second, give or take the first and last
    expect(steadyBatches.length).toBeGreaterThanOrEqual(12);
    expect(steadyBatches.length).toBeLessThanOrEqual(13);
    stream.close();
  });
});
