import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver';
import { testClock, type TestClock } from '../../unit/core/fixture';

let t: TestFleet;
let receiver: WebhookReceiver;
let clock: TestClock;
const MAC = 'aa:bb:cc:00:10:01';

beforeEach(async () => {
  clock = testClock(Date.now());
  t = await startTestFleet({ clock });
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await t.dispose();
  await receiver.close();
});

async function createChannel(body: Record<string, unknown>): Promise<number> {
  const res = await t.admin('/api/alerts/channels', { method: 'POST', body });
  expect(res.status, res.text).toBe(201);
  return res.json.id as number;
}

async function attemptsLogged(channel: number, count: number): Promise<void> {
  await vi.waitFor(async () => {
    const res = await t.admin(`/api/alerts/channels/${channel}/deliveries`);
    expect(res.json).toHaveLength(count);
  }, { timeout: 10_000, interval: 20 });
}

describe('webhook channel', () => {
  it('delivers the documented body, retries with backoff on the injected clock, and logs every attempt', async () => {
    const channel = await createChannel({ kind: 'webhook', name: 'hook', url: receiver.url, headers: { 'X-Token': 's3cret' }, retries: 2 });
    const rule = await t.admin('/api/alerts/rules', {
      method: 'POST', body: { kind: 'offline', missedCheckins: 1, recoverAfter: 1, scope: { all: true }, channels: [channel] },
    });
    expect(rule.status, rule.text).toBe(201);
    const token = await registerDevice(t, MAC);
    await t.admin(`/api/devices/${MAC}`, { method: 'PATCH', body: { name: 'Boiler', location: 'Cellar' } });
    receiver.replies.push(500, 503);

    clock.advance(60_000); // two intervals of silence: one missed check-in
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 10_000, interval: 20 });
    const body = receiver.received[0]!.json as { at: string; link: string };
    expect(body).toMatchObject({
      device: { mac: MAC, name: 'Boiler', location: 'Cellar', profile: null },
      rule: { name: 'Offline', kind: 'offline' }, state: 'firing', value: 1, test: false,
    });
    expect(new Date(body.at).getTime()).toBe(clock.now());
    expect(body.link).toBe(`${t.adminUrl}/#/devices/${encodeURIComponent(MAC)}`);
    expect(receiver.received[0]!.headers['x-token']).toBe('s3cret');
    expect(receiver.received[0]!.headers['content-type']).toBe('application/json');

    // the backoff counts from when an attempt's outcome is logged: wait for that before moving the clock
    await attemptsLogged(channel, 1);
    clock.advance(2000); // backoff after the first failure is 2 s
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 10_000, interval: 20 });
    await attemptsLogged(channel, 2);
    clock.advance(8000); // then 8 s
    await vi.waitFor(() => expect(receiver.received).toHaveLength(3), { timeout: 10_000, interval: 20 });
    const log = await vi.waitFor(async () => {
      const res = await t.admin(`/api/alerts/channels/${channel}/deliveries`);
      expect(res.json).toHaveLength(3);
      return res.json as { attempt: number; status: number; ok: boolean }[];
    });
    expect(log.map((d) => [d.attempt, d.status, d.ok])).toEqual([[3, 200, true], [2, 503, false], [1, 500, false]]);

    // the device returns: resolved after one good check-in
    const checkin = await t.device(`/api/v1/devices/${MAC}/checkin`, { headers: bearer(token), body: {} });
    expect(checkin.status).toBe(200);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(4), { timeout: 10_000, interval: 20 });
    expect(receiver.received[3]!.json).toMatchObject({ state: 'resolved', device: { mac: MAC } });
    const overview = await t.admin('/api/alerts');
    expect(overview.json.firing).toEqual([]);
    expect(overview.json.recent[0]).toMatchObject({ deviceId: MAC, state: 'resolved' });
  });

  it('a body template fills typed values and interpolated text; "send test" answers with the receiver\'s code', async () => {
    const template = JSON.stringify({ text: '{{device.name}} is {{state}}', mac: '{{device.mac}}', v: '{{value}}', t: '{{test}}' });
    const channel = await createChannel({ kind: 'webhook', name: 'chat', url: receiver.url, method: 'PUT', bodyTemplate: template });
    receiver.replies.push(418);
    const res = await t.admin(`/api/alerts/channels/${channel}/test`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: false, status: 418, test: true, attempt: 1 });
    expect(receiver.received[0]!.method).toBe('PUT');
    expect(receiver.received[0]!.json).toEqual({ text: 'Test device is firing', mac: '00:00:00:00:00:00', v: 3, t: true });
  });

  it('an unreachable receiver is logged with the reason, not retried past its budget', async () => {
    await receiver.close();
    const channel = await createChannel({ kind: 'webhook', name: 'gone', url: receiver.url, retries: 0 });
    const res = await t.admin(`/api/alerts/channels/${channel}/test`, { method: 'POST' });
    expect(res.json).toMatchObject({ ok: false, status: null });
    expect(res.json.error).toMatch(/ECONNREFUSED/);
  });

  it('bad input is a 4xx with the error envelope and changes nothing', async () => {
    const bad = async (path: string, method: string, body: unknown) => {
      const res = await t.admin(path, { method, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(typeof res.json.error.message).toBe('string');
      return res.json.error.message as string;
    };
    await bad('/api/alerts/channels', 'POST', { kind: 'webhook', name: 'x', url: 'ftp://example.org/' });
    await bad('/api/alerts/channels', 'POST', { kind: 'webhook', name: 'x', url: receiver.url, headers: { 'X-A': 'a\r\nInjected: 1' } });
    expect(await bad('/api/alerts/channels', 'POST', { kind: 'webhook', name: 'x', url: receiver.url, bodyTemplate: '{"a": "{{nope}}"}' })).toMatch(/unknown placeholder \{\{nope\}\}/);
    await bad('/api/alerts/channels', 'POST', { kind: 'webhook', name: 'x', url: receiver.url, bodyTemplate: '{oops' });
    await bad('/api/alerts/rules', 'POST', { kind: 'offline', missedCheckins: 0, scope: { all: true } });
    await bad('/api/alerts/rules', 'POST', { kind: 'offline', missedCheckins: 2, scope: { all: false } });
    await bad('/api/alerts/rules', 'POST', { kind: 'offline', missedCheckins: 2, scope: { all: true }, channels: [12345] });
    await bad('/api/alerts/windows', 'POST', { startsAt: 10, endsAt: 5, scope: { all: true } });
    await registerDevice(t, MAC);
    await bad(`/api/devices/${MAC}`, 'PATCH', { muted: 'yes' });
    expect((await t.admin('/api/alerts/channels')).json).toEqual([]);
    expect((await t.admin('/api/alerts/rules')).json).toEqual([]);
    expect((await t.admin(`/api/alerts/devices/${MAC}`)).json).toEqual({ muted: false, firing: [] });
  });

  it('PATCH /api/devices/{mac} {muted} mutes for alerts, alone or with other fields', async () => {
    await registerDevice(t, MAC);
    const muted = await t.admin(`/api/devices/${MAC}`, { method: 'PATCH', body: { muted: true } });
    expect(muted.status).toBe(200);
    expect(muted.json).toMatchObject({ id: MAC, muted: true });
    const both = await t.admin(`/api/devices/${MAC}`, { method: 'PATCH', body: { muted: false, name: 'Pump' } });
    expect(both.json).toMatchObject({ name: 'Pump', muted: false });
    const events = await t.admin(`/api/events?deviceId=${MAC}&kind=device_muted`);
    expect(events.json).toHaveLength(2);
  });
});
