/**
 * The registration request limit in front of the device listener's routes: POSTs other than
 * check-ins are counted per network; beyond the limit they get 429 with Retry-After and the
 * connection closed, check-ins are never counted, and the refusals reach the operator as the
 * `register_rate` limit (the UI's banner) with their count.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isCheckinPath } from '../../src/main/core/http/device/register-gate';
import { startTestFleet, type TestFleet } from '../helpers/fleet';

let t: TestFleet | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

describe('registration request limit', () => {
  it('tells check-ins (any case, trailing slash, query) from every other POST', () => {
    for (const url of ['/api/v1/devices/aa:bb/checkin', '/api/v1/devices/aa/checkin?wait=30', '/API/V1/DEVICES/AA/CHECKIN', '/api/v1/devices/aa/checkin/']) {
      expect(isCheckinPath(url), url).toBe(true);
    }
    for (const url of ['/api/v1/devices/aa/register', '/api/devices/aa', '/api/v1/devices/aa/Register/', '/checkin-not', '/', '/api/v1/devices/checkinx']) {
      expect(isCheckinPath(url), url).toBe(false);
    }
  });

  it('refuses registrations beyond the limit with 429, Retry-After and a closed connection, never counting check-ins, and reports the refusals', async () => {
    t = await startTestFleet({ registerRateLimit: { windowMs: 60_000, max: 3, exemptLoopback: false } });
    const first = await t.device('/api/v1/devices/aa:00:00:00:02:01/register', { body: {} });
    expect(first.status).toBe(201);
    const token = first.json.token as string;
    // check-ins of any outcome spend nothing of the limit
    for (let i = 0; i < 6; i++) {
      const checkin = await t.device('/api/v1/devices/aa:00:00:00:02:01/checkin', { headers: { Authorization: `Bearer ${token}` }, body: {} });
      expect(checkin.status).toBe(200);
    }
    expect((await t.device('/api/v1/devices/aa:00:00:00:02:01/checkin', { headers: { Authorization: 'Bearer wrong' }, body: {} })).status).toBe(401);

    // v1 and legacy registrations, and junk POSTs, share the count
    expect((await t.device('/api/devices/aa:00:00:00:02:02', { body: { ipaddr: '127.0.0.1' } })).status).toBe(200);
    expect((await t.device('/api/v1/devices/aa:00:00:00:02:03/REGISTER', { body: {} })).status).toBe(201);
    const refused = [
      await t.device('/api/v1/devices/aa:00:00:00:02:04/register', { body: {} }),
      await t.device('/api/devices/aa:00:00:00:02:05', { body: { ipaddr: '127.0.0.1' } }),
      await t.device('/anything', { body: {} }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(429);
      expect(res.json.error.code).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.headers.connection).toBe('close');
    }
    // refused before anything was created
    expect((await t.admin('/api/devices/aa:00:00:00:02:04')).status).toBe(404);
    // known devices keep checking in
    expect((await t.device('/api/v1/devices/aa:00:00:00:02:01/checkin', { headers: { Authorization: `Bearer ${token}` }, body: {} })).status).toBe(200);

    const limits = await t.admin('/api/limits');
    const hit = (limits.json.recent as { kind: string; count: number; network?: string }[]).find((h) => h.kind === 'register_rate');
    expect(hit).toMatchObject({ count: 3, network: '127.0.0.0/24' });
    // one audit entry for the refusals, written behind (within the next flush)
    const recorded = async () => ((await t!.admin('/api/events?kind=limit_reached&limit=50')).json as { data?: { kind?: string } }[]).filter((e) => e.data?.kind === 'register_rate');
    const giveUpAt = Date.now() + 10_000;
    while ((await recorded()).length === 0 && Date.now() < giveUpAt);
    expect(await recorded()).toHaveLength(1);
  });
});
