/**
 * A bounded flood (20 s, stops by itself) of new-device registrations — v1 and legacy, from 32
 * addresses in 16 networks of another host — while a real device on the same LAN checks in. The
 * budgets and the fleet cap hold, nothing crashes, the device is served throughout. Its check-in
 * latency is printed for the issue note (`[flood] …` lines), never asserted.
 */
import { describe, expect, it } from 'vitest';
import { useSecurityLab } from './lab';

const FLOOD_MS = 20_000;
const FLEET_CAP_ROOM = 100;

describe('flood from another host (network namespaces)', () => {
  const lab = useSecurityLab();

  it('holds the budgets and the fleet cap and keeps serving a real device', async () => {
    const before = (await lab.admin('GET', '/api/limits')).json;
    const cap = before.fleet.devices + 2 + FLEET_CAP_ROOM;
    await lab.admin('PATCH', '/api/settings', { fleetCap: cap });
    const sources: string[] = [];
    for (let net = 60; net < 76; net++) for (const host of [2, 3]) sources.push(lab.addClientAddress(`10.77.${net}.${host}`));

    const realDevice = await lab.startClient();
    // the same device loop without a flood first: the floor of this machine right now, for the note
    const calm = await lab.run(realDevice, { op: 'device', mac: '02:cc:00:00:00:02', from: lab.clientAddress, durationMs: 4000, everyMs: 100 }, 60_000);
    const floodV1 = await lab.startClient();
    const floodLegacy = await lab.startClient();
    const started = Date.now();
    const [device, v1, legacy] = await Promise.all([
      lab.run(realDevice, { op: 'device', mac: '02:cc:00:00:00:01', from: lab.clientAddress, durationMs: FLOOD_MS + 2000, everyMs: 100 }, 90_000),
      lab.run(floodV1, { op: 'flood', kind: 'v1', sources: sources.slice(0, 16), durationMs: FLOOD_MS, concurrency: 48 }, 90_000),
      lab.run(floodLegacy, { op: 'flood', kind: 'legacy', sources: sources.slice(16), durationMs: FLOOD_MS, concurrency: 48 }, 90_000),
    ]);
    const elapsed = Date.now() - started;

    const after = (await lab.admin('GET', '/api/limits')).json;
    const created = after.fleet.devices - before.fleet.devices - 2;
    console.log(`[flood] ${elapsed} ms; v1 requests ${v1.sent} ${JSON.stringify(v1.byStatus)}; legacy requests ${legacy.sent} ${JSON.stringify(legacy.byStatus)}`);
    console.log(`[flood] devices created by the flood: ${created} (fleet ${after.fleet.devices} of cap ${after.fleet.cap}); limits hit: ${JSON.stringify(after.recent.map((h: { kind: string; count: number }) => [h.kind, h.count]))}`);
    console.log(`[flood] real device before the flood: ${calm.checkins} check-ins, p50 ${calm.p50} ms, p99 ${calm.p99} ms, max ${calm.max} ms`);
    console.log(`[flood] real device during the flood: ${device.checkins} check-ins, ${device.failures} failed, p50 ${device.p50} ms, p99 ${device.p99} ms, max ${device.max} ms`);

    // the real device was admitted before the flood filled anything, and was served throughout
    expect(device.registered).toBe(201);
    expect(device.failures).toBe(0);
    expect(device.checkins).toBeGreaterThan(0);
    // the flood got through only as far as the budgets and the cap allow; everything else was refused
    expect(after.fleet.devices).toBeLessThanOrEqual(cap);
    const windows = Math.ceil(elapsed / 60_000) + 1;
    expect(created).toBeLessThanOrEqual(after.budgets.perMinute * windows);
    expect((v1.byStatus['201'] ?? 0) + (legacy.byStatus['200'] ?? 0)).toBe(created);
    for (const byStatus of [v1.byStatus, legacy.byStatus]) {
      for (const status of Object.keys(byStatus)) expect(['200', '201', '429', '503', 'error']).toContain(status);
    }
    expect(after.recent.map((h: { kind: string }) => h.kind)).toEqual(expect.arrayContaining(['fleet_cap']));
    // the audit log holds one collapsed entry per limit and minute, not one per refusal
    const refusals = await lab.admin('GET', '/api/events?kind=limit_reached&limit=500');
    expect(refusals.json.length).toBeLessThanOrEqual(4 * windows);
    // still alive and answering
    expect((await lab.lan('GET', '/api/devices/unknown-device')).status).toBe(404);
  }, 120_000);
});
