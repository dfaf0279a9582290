import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCAN_PER_SLICE, TRANSITIONS_PER_SLICE } from '../../../src/main/core/services/status/status-monitor';
import { type Harness, macOf, makeHarness, registerDevice } from '../../unit/core/fixture';

let h: Harness;
let token: string;
const D = 'aa:bb:cc:00:00:01';
beforeEach(() => {
  h = makeHarness();
  token = registerDevice(h, D); // interval 30 s; late after 45 s, offline after 90 + 10 s
});
afterEach(() => h.close());

const livenessEvents = () =>
  h.services.events.list({ limit: 100, deviceId: D }).map((e) => e.kind).filter((k) => ['came_online', 'went_late', 'went_offline'].includes(k)).reverse();
const statusDeltas = () => h.deltas.flatMap((d) => (d.type === 'status' && d.id === D ? [d.status] : []));

describe('status', () => {
  it('online → late → offline → online with the injected clock, one event and one delta per transition', () => {
    expect(h.services.devices.get(D).status).toBe('online');
    h.clock.advance(45_000);
    h.services.tick();
    expect(h.services.devices.get(D).status).toBe('online');
    h.clock.advance(1);
    h.services.tick();
    h.services.tick();
    expect(h.services.devices.get(D).status).toBe('late');
    h.clock.advance(100_000 - 45_001);
    h.services.tick();
    expect(h.services.devices.get(D).status).toBe('late');
    h.clock.advance(1);
    h.services.tick();
    h.services.tick();
    expect(h.services.devices.get(D).status).toBe('offline');
    h.services.protocol.checkin(D, token, {}, 'x');
    h.services.tick();
    expect(h.services.devices.get(D).status).toBe('online');
    expect(livenessEvents()).toEqual(['went_late', 'went_offline', 'came_online']);
    expect(statusDeltas()).toEqual(['late', 'offline', 'online']);
  });

  it('uses the per-device interval and the settings thresholds', () => {
    h.services.devices.patch(D, { checkinInterval: 600 }, 'admin');
    h.clock.advance(800_000);
    h.services.tick();
    expect(h.services.devices.get(D).status).toBe('online');
    h.services.settings.patch({ thresholds: { lateFactor: 1, offlineFactor: 2, graceSeconds: 0 } }, 'admin');
    h.services.tick();
    expect(h.services.devices.get(D).status).toBe('late');
  });

  it('the list filters and counts by status as of the last tick', () => {
    const t2 = registerDevice(h, 'aa:bb:cc:00:00:02');
    registerDevice(h, 'aa:bb:cc:00:00:03');
    h.services.devices.block('aa:bb:cc:00:00:03', 'admin');
    h.clock.advance(200_000);
    h.services.protocol.checkin('aa:bb:cc:00:00:02', t2, {}, 'x');
    h.services.tick();
    const list = h.services.devices.list({ sort: 'status', order: 'asc', offset: 0, limit: 10, status: ['online', 'offline'] });
    expect(list.items.map((d) => [d.id, d.status])).toEqual([['aa:bb:cc:00:00:02', 'online'], [D, 'offline']]);
    expect(list.counts).toEqual({ online: 1, late: 0, offline: 1, pending: 0, blocked: 1 });
  });

  it('pending and blocked devices show their state, not liveness, and raise no liveness events', () => {
    h.services.devices.block(D, 'admin');
    h.clock.advance(1_000_000);
    h.services.tick();
    expect(h.services.devices.get(D).status).toBe('blocked');
    h.services.devices.unblock(D, 'admin');
    expect(h.services.devices.get(D).status).toBe('offline');
    expect(livenessEvents()).toEqual([]);
  });

  it('status is persisted by the flush and survives a restart', () => {
    h.clock.advance(1_000_000);
    h.services.tick();
    h.restart();
    expect(h.services.devices.get(D).status).toBe('offline');
    h.services.tick();
    expect(livenessEvents()).toEqual(['went_offline']);
  });

  it('a fleet-wide change is applied in slices that leave the event loop free between them', async () => {
    const fleet = Array.from({ length: TRANSITIONS_PER_SLICE * 2 + 5 }, (_, i) => macOf(i + 1));
    const tokens = fleet.map((id) => registerDevice(h, id));
    h.clock.advance(1_000_000);
    h.services.tick();
    const statuses = () => fleet.map((id) => h.services.devices.get(id).status);
    // the first slice at once (D was registered first, so it is in it), the rest after a turn of the loop
    expect(statuses().filter((s) => s === 'offline')).toHaveLength(TRANSITIONS_PER_SLICE - 1);
    // the last device checks in between the scan and its slice: the slice must not mark it offline
    h.services.protocol.checkin(fleet[fleet.length - 1]!, tokens[tokens.length - 1]!, {}, 'x');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(statuses().slice(0, -1).every((s) => s === 'offline')).toBe(true);
    expect(statuses().at(-1)).toBe('online');
    expect(h.services.devices.get(D).status).toBe('offline');
    const offlineDeltas = h.deltas.filter((d) => d.type === 'status' && d.status === 'offline');
    expect(offlineDeltas).toHaveLength(fleet.length); // D and every fleet device but the one that came back
  });

  it('a large fleet is scanned in slices too: a device past the first slice changes a turn of the loop later', async () => {
    const fleet = Array.from({ length: SCAN_PER_SLICE + 10 }, (_, i) => macOf(i + 1));
    const tokens = fleet.map((id) => registerDevice(h, id));
    h.clock.advance(1_000_000);
    for (const [i, id] of fleet.entries()) if (i !== fleet.length - 1) h.services.protocol.checkin(id, tokens[i]!, {}, 'x');
    h.services.protocol.checkin(D, token, {}, 'x');
    h.services.tick();
    expect(h.services.devices.get(fleet.at(-1)!).status).toBe('online'); // not reached yet
    await new Promise((r) => setImmediate(r));
    expect(h.services.devices.get(fleet.at(-1)!).status).toBe('offline');
    expect(h.services.devices.get(fleet[0]!).status).toBe('online');
  });
});
