/** GET /api/events/stream delivers a batch of deltas after a change, and unsubscribes on close. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

function openStream(adminUrl: string, token: string): Promise<SseClient> {
  const url = new URL('/api/events/stream', adminUrl);
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

  it('batches many changes into few messages', async () => {
    const stream = await openStream(t.adminUrl, t.fleet.adminToken);
    for (let i = 0; i < 20; i++) await t.admin('/api/devices/aa:bb:cc:00:00:05', { method: 'PATCH', body: { name: `n${i}` } });
    await stream.waitFor((batches) => batches.some((b) => b.deltas.some((d) => d.type === 'device' && d.device.name === 'n19')));
    // 20 changes (each with device + event deltas) arrive in far fewer messages than changes.
    expect(stream.batches.length).toBeLessThan(20);
    stream.close();
  });

  it('does not keep the fleet from stopping', async () => {
    const stream = await openStream(t.adminUrl, t.fleet.adminToken);
    const started = Date.now();
    await t.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
    stream.close();
  });
});
