/** Registration policies, tokens and credential resets over real HTTP. */
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, untilParked, type TestFleet } from '../../helpers/fleet';

let t: TestFleet | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe('registration policy', () => {
  it('open: a new device is active at once and gets its config', async () => {
    t = await startTestFleet({ policy: 'open' });
    const res = await t.device('/api/v1/devices/aa:00:00:00:00:01/register', { body: { ip: '10.0.0.1' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ state: 'active', config: {} });
    expect(typeof res.json.token).toBe('string');
  });

  it('approve: a new device is pending, gets nothing until approved, then everything', async () => {
    t = await startTestFleet({ policy: 'approve' });
    const res = await t.device('/api/v1/devices/aa:00:00:00:00:02/register', { body: {} });
    expect(res.status).toBe(201);
    expect(res.json.state).toBe('pending');
    expect(res.json.config).toBeUndefined();
    const token = res.json.token as string;
    await t.admin('/api/devices/aa:00:00:00:00:02/commands', { body: { name: 'reboot' } }).then((r) => expect(r.status).toBe(201));

    const pending = await t.device('/api/v1/devices/aa:00:00:00:00:02/checkin', { body: { cfgsn: 0 }, headers: bearer(token) });
    expect(pending.json).toMatchObject({ state: 'pending', commands: [] });
    expect(pending.json.config).toBeUndefined();

    // A pending device long-polling is woken by its approval.
    const held = t.device('/api/v1/devices/aa:00:00:00:00:02/checkin?wait=15', { body: { cfgsn: 0 }, headers: bearer(token) });
    await untilParked(t, 1, 'aa:00:00:00:00:02');
    const approve = await t.admin('/api/devices/aa:00:00:00:00:02/approve', { method: 'POST' });
    expect(approve.json.state).toBe('active');
    expect(t.fleet.services.protocol.parkedCount('aa:00:00:00:00:02')).toBe(0);
    const active = await held;
    expect(active.json.state).toBe('active');
    expect(active.json.config).toEqual({});
    expect(active.json.commands.map((c: { name: string }) => c.name)).toEqual(['reboot']);
  });

  it('key: no or a wrong enrollment key is refused and stores nothing; the right key registers', async () => {
    t = await startTestFleet({ policy: 'key' });
    await t.admin('/api/settings', { method: 'PATCH', body: { enrollmentKey: 'k3y "with" \\ quotes' } });
    const missing = await t.device('/api/v1/devices/aa:00:00:00:00:03/register', { body: {} });
    const wrong = await t.device('/api/v1/devices/aa:00:00:00:00:03/register', { body: { key: 'nope' } });
    for (const res of [missing, wrong]) {
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
    expect((await t.admin('/api/devices/aa:00:00:00:00:03')).status).toBe(404);
    const right = await t.device('/api/v1/devices/aa:00:00:00:00:03/register', { body: { key: 'k3y "with" \\ quotes' } });
    expect(right.status).toBe(201);
    expect(right.json.state).toBe('active');
  });

  it('the policy given at start overrides the stored setting', async () => {
    t = await startTestFleet({ policy: 'approve' });
    const settings = await t.admin('/api/settings');
    expect(settings.json.registrationPolicy).toBe('approve');
  });
});

describe('tokens', () => {
  it('a missing or wrong token gets 401 and changes nothing', async () => {
    t = await startTestFleet();
    const token = await registerDevice(t, 'aa:00:00:00:00:10', { ip: '10.0.0.10', ssid: 'before' });
    const cmd = await t.admin('/api/devices/aa:00:00:00:00:10/commands', { body: { name: 'reboot' } });
    const before = (await t.admin('/api/devices/aa:00:00:00:00:10')).json;

    const attempts = [
      {},
      bearer('x'.repeat(43)),
      bearer(`${token}x`),
      { Authorization: `Basic ${Buffer.from(`u:${token}`).toString('base64')}` },
    ];
    for (const headers of attempts) {
      const res = await t.device('/api/v1/devices/aa:00:00:00:00:10/checkin', {
        headers,
        body: { cfgsn: 99, ip: '10.9.9.9', ssid: 'after', rssi: -1, acks: [{ id: cmd.json.id, ok: true }] },
      });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
      const fw = await t.device('/api/v1/devices/aa:00:00:00:00:10/firmware/1', { headers });
      expect(fw.status).toBe(401);
    }
    // Another device's token does not work either.
    const other = await registerDevice(t, 'aa:00:00:00:00:11');
    const cross = await t.device('/api/v1/devices/aa:00:00:00:00:10/checkin', { headers: bearer(other), body: { ssid: 'after' } });
    expect(cross.status).toBe(401);

    const after = (await t.admin('/api/devices/aa:00:00:00:00:10')).json;
    expect(after).toMatchObject({ ip: before.ip, ssid: 'before', cfgsnReported: before.cfgsnReported, lastSeenAt: before.lastSeenAt });
    const commands = (await t.admin('/api/devices/aa:00:00:00:00:10/commands')).json as { state: string }[];
    expect(commands.map((c) => c.state)).toEqual(['queued']);
  });

  it('a known device registering without its token gets 409; after a reset it registers anew', async () => {
    t = await startTestFleet();
    const token = await registerDevice(t, 'aa:00:00:00:00:20');
    const conflict = await t.device('/api/v1/devices/aa:00:00:00:00:20/register', { body: {} });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error.code).toBe('conflict');
    const wrongToken = await t.device('/api/v1/devices/aa:00:00:00:00:20/register', { body: {}, headers: bearer('w'.repeat(32)) });
    expect(wrongToken.status).toBe(409);

    const reset = await t.admin('/api/devices/aa:00:00:00:00:20/reset-credentials', { method: 'POST' });
    expect(reset.status).toBe(200);
    const old = await t.device('/api/v1/devices/aa:00:00:00:00:20/checkin', { headers: bearer(token), body: {} });
    expect(old.status).toBe(401);
    const again = await t.device('/api/v1/devices/aa:00:00:00:00:20/register', { body: {} });
    expect(again.status).toBe(201);
    expect(again.json.token).not.toBe(token);
    const works = await t.device('/api/v1/devices/aa:00:00:00:00:20/checkin', { headers: bearer(again.json.token), body: {} });
    expect(works.status).toBe(200);
  });

  it('rate-limits register per address', async () => {
    t = await startTestFleet({ registerRateLimit: { windowMs: 60_000, max: 3, exemptLoopback: false } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.device(`/api/v1/devices/aa:00:00:00:01:0${i}/register`, { body: {} });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.json.error.code).toBe('rate_limited');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });
});
