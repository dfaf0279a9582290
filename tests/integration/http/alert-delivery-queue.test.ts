import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import type { AlertChannel, AlertDelivery } from '../../../src/shared/api/alerts';
import { DELIVERY_CONCURRENCY, DELIVERY_QUEUE_MAX, DeliveryQueue } from '../../../src/main/core/services/alerts/delivery-queue';
import type { AlertPayload } from '../../../src/main/core/services/alerts/channels/channel-kind';
import { desktopKind } from '../../../src/main/core/services/alerts/channels/desktop';
import { webhookKind } from '../../../src/main/core/services/alerts/channels/webhook';
import { testClock } from '../../unit/core/fixture';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const payload = (alertId: number): AlertPayload => ({
  alertId, state: 'firing', at: 0, device: { mac: 'aa:bb:cc:00:00:01', name: '', location: '', profile: null },
  rule: { id: 1, name: 'Offline', kind: 'offline' }, value: 2, message: 'm', link: null, test: false,
});

it('a receiver that never answers holds at most the concurrency in flight; past the queue bound the oldest are dropped and logged', async () => {
  const held: IncomingMessage[] = [];
  const server = createServer((req) => held.push(req)); // never answers
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const channel: AlertChannel = {
    id: 1, kind: 'webhook', name: 'slow', enabled: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    method: 'POST', headers: {}, bodyTemplate: null, retries: 0, createdAt: 0,
  };
  const log: Omit<AlertDelivery, 'id'>[] = [];
  const queue = new DeliveryQueue({
    clock: testClock(), channel: () => channel, kinds: { webhook: webhookKind, desktop: desktopKind(new Set()) },
    log: (d) => (log.push(d), { ...d, id: log.length }),
  });
  closers.push(() => queue.stop());
  const extra = 7;
  for (let i = 1; i <= DELIVERY_QUEUE_MAX + DELIVERY_CONCURRENCY + extra; i++) queue.enqueue(1, payload(i));
  await vi.waitFor(() => expect(held).toHaveLength(DELIVERY_CONCURRENCY));
  expect(queue.size).toBe(DELIVERY_QUEUE_MAX + DELIVERY_CONCURRENCY);
  // the first four went out at once; of the rest, the oldest `extra` were dropped
  expect(log.map((d) => [d.alertId, d.ok])).toEqual(Array.from({ length: extra }, (_, i) => [DELIVERY_CONCURRENCY + 1 + i, false]));
  expect(log[0]!.error).toMatch(/dropped/);
});
