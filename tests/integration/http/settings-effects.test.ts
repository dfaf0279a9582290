/**
 * Each fleet setting does what it says, observed over real HTTP: the default check-in interval
 * reaches parked long-polls at once, the command expiry applies to queued commands, and telemetry
 * older than the retention is purged. Time is a hand-moved clock; nothing waits on a delay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, makeTempDataDir, registerDevice, startTestFleet, untilParked, type TestFleet } from '../../helpers/fleet';

const DAY = 86_400_000;
const ID = 'aa:bb:cc:5e:77:01';

function handClock(start = 1_800_000_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

let fleets: TestFleet[] = [];
afterEach(async () => {
  for (const t of fleets) await t.dispose();
  fleets = [];
});
async function start(options: Parameters<typeof startTestFleet>[0]): Promise<TestFleet> {
  const t = await startTestFleet(options);
  fleets.push(t);
  return t;
}

describe('settings take effect', () => {
  it('a new default check-in interval wakes parked long-polls, which answer with it', async () => {
    const t = await start({});
    const token = await registerDevice(t, ID);
    const first = await t.device(`/api/v1/devices/${ID}/checkin`, { headers: bearer(token), body: { cfgsn: 0 } });
    expect(first.json.interval).toBe(30);
    const cfgsn = first.json.cfgsn as number;

    const held = t.device(`/api/v1/devices/${ID}/checkin?wait=15`, { headers: bearer(token), body: { cfgsn } });
    await untilParked(t, 1, ID);
    const patch = await t.admin('/api/settings', { method: 'PATCH', body: { defaultCheckinInterval: 45 } });
    expect(patch.status).toBe(200);
    expect(t.fleet.services.protocol.parkedCount(ID)).toBe(0);
    const woken = await held;
    expect(woken.status).toBe(200);
    expect(woken.json.interval).toBe(45);
    expect(woken.json.config).toBeUndefined(); // nothing else changed for it
  });

  it('the command expiry setting applies to a queued command; an expired command is never delivered', async () => {
    const clock = handClock();
    const t = await start({ clock, timers: { statusMs: 10 } });
    const token = await registerDevice(t, ID);
    expect((await t.admin('/api/settings', { method: 'PATCH', body: { commandTtlSeconds: 120 } })).status).toBe(200);

    const byDefault = await t.admin(`/api/devices/${ID}/commands`, { body: { name: 'reboot' } });
    expect(byDefault.status).toBe(201);
    expect(byDefault.json.expiresAt - byDefault.json.createdAt).toBe(120_000);
    const explicit = await t.admin(`/api/devices/${ID}/commands`, { body: { name: 'identify', ttlSeconds: 600 } });
    expect(explicit.json.expiresAt - explicit.json.createdAt).toBe(600_000);

    clock.advance(121_000);
    const stateOf = async (id: number) =>
      ((await t.admin(`/api/devices/${ID}/commands`)).json as { id: number; state: string }[]).find((c) => c.id === id)?.state;
    await expect.poll(() => stateOf(byDefault.json.id), { timeout: 10_000 }).toBe('expired');
    const reply = await t.device(`/api/v1/devices/${ID}/checkin`, { headers: bearer(token), body: { cfgsn: 0 } });
    expect(reply.json.commands.map((c: { name: string }) => c.name)).toEqual(['identify']);
    expect(await stateOf(explicit.json.id)).toBe('delivered');
  });

  it('telemetry older than the retention setting is purged, and only that', async () => {
    const clock = handClock();
    const dataDir = makeTempDataDir();
    const telemetry = async (t: TestFleet) =>
      ((await t.admin(`/api/devices/${ID}/telemetry?since=0&maxPoints=100`)).json as unknown[]).length;

    const first = await startTestFleet({ dataDir, clock });
    const token = await registerDevice(first, ID);
    expect((await first.device(`/api/v1/devices/${ID}/checkin`, { headers: bearer(token), body: { rssi: -61, heap: 20000, uptime: 5 } })).status).toBe(200);
    await first.stop();

    // A day and a half on, the 2-day default keeps the sample through the purge every start runs.
    clock.advance(1.5 * DAY);
    const t = await start({ dataDir, clock, timers: { retentionMs: 10 } });
    expect(await telemetry(t)).toBe(1);
    expect((await t.admin('/api/settings', { method: 'PATCH', body: { telemetryRetentionDays: 1 } })).status).toBe(200);
    await expect.poll(() => telemetry(t), { timeout: 10_000 }).toBe(0);
  });
});
