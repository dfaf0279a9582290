/**
 * The history API over real HTTP: device history and availability, the dashboard, and refusals of
 * bad input (unknown range, unknown device, a retention below what the charts read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

const A = 'aa:bb:cc:12:00:01';
let t: TestFleet;
let token: string;
beforeAll(async () => {
  t = await startTestFleet({});
  token = await registerDevice(t, A, { fw: { name: 'app', version: '2.0.1' } });
  for (const uptime of [500, 560, 3]) {
    expect((await t.device(`/api/v1/devices/${A}/checkin`, { headers: bearer(token), body: { rssi: -77, heap: 9000, uptime } })).status).toBe(200);
  }
});
afterAll(() => t.dispose());

describe('history API', () => {
  it('device history: raw samples for 24 h, the reboot marked, hourly buckets for 30 d', async () => {
    const day = await t.admin(`/api/devices/${A}/history?range=24h`);
    expect(day.status).toBe(200);
    expect(day.json).toMatchObject({ range: '24h', source: 'raw', stepMs: 300_000 });
    expect(day.json.points).toEqual([expect.objectContaining({ rssiMin: -77, heapMax: 9000 })]);
    expect(day.json.reboots).toEqual([expect.objectContaining({ uptimeBefore: 560, reason: null })]);
    const month = await t.admin(`/api/devices/${A}/history?range=30d`);
    expect(month.json).toMatchObject({ source: 'buckets' });
    // the current hour is still in memory and is part of the answer
    expect(month.json.points).toEqual([expect.objectContaining({ checkins: 3, rssiAvg: -77 })]);
  });

  it('availability: cells and uptime shares', async () => {
    const res = await t.admin(`/api/devices/${A}/availability?range=7d`);
    expect(res.status).toBe(200);
    expect(res.json.cells).toHaveLength(42);
    expect(res.json.cells.at(-1).state).toBe('up');
    expect(res.json.uptime['24h']).toBeCloseTo(1, 2);
  });

  it('dashboard: counts now, weakest devices, firmware in use', async () => {
    const res = await t.admin('/api/dashboard?range=1h');
    expect(res.status).toBe(200);
    expect(res.json.now).toMatchObject({ online: 1 });
    expect(res.json.weakestSignal).toEqual([expect.objectContaining({ id: A, value: -77 })]);
    expect(res.json.lowestHeap).toEqual([expect.objectContaining({ id: A, value: 9000 })]);
    expect(res.json.mostReboots).toEqual([expect.objectContaining({ id: A, value: 1 })]);
    expect(res.json.firmware).toEqual([{ version: '2.0.1', devices: 1 }]);
    expect(Array.isArray(res.json.recentChanges)).toBe(true);
  });

  it('refuses an unknown range, an unknown device and a history retention below 30 days', async () => {
    for (const path of [`/api/devices/${A}/history?range=2y`, '/api/dashboard?range=%27%3B--', `/api/devices/${A}/availability?range=`]) {
      const res = await t.admin(path);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
    expect((await t.admin('/api/devices/aa:bb:cc:12:00:99/history')).status).toBe(404);
    const patch = await t.admin('/api/settings', { method: 'PATCH', body: { historyRetentionDays: 7 } });
    expect(patch.status).toBe(400);
    expect(JSON.stringify(patch.json)).toContain('at least 30 days');
  });
});
