import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceListQuery, DeviceSummary } from '../../../src/shared/api';
import { type Harness, macOf, makeHarness } from '../../unit/core/fixture';

const N = 300;
let h: Harness;
let all: DeviceSummary[];

/** A fleet of N devices with varied names, locations, tags, profiles, states and last-seen times. */
beforeAll(() => {
  h = makeHarness();
  const lamps = h.services.profiles.create({ name: 'Lamps', description: '', defaults: {} }, 'admin');
  const pumps = h.services.profiles.create({ name: 'pumps', description: '', defaults: {} }, 'admin');
  h.services.settings.patch({ registrationPolicy: 'approve' }, 'admin');
  for (let i = 0; i < N; i++) {
    const id = macOf(i);
    const { reply } = h.services.protocol.register(id, { ip: `10.0.${i >> 8}.${i & 255}`, ssid: i % 2 ? 'lab' : 'shop' }, null, 'x');
    if (i % 10 !== 0) h.services.devices.approve(id, 'admin');
    if (i % 25 === 1) h.services.devices.block(id, 'admin');
    h.services.devices.patch(id, {
      name: `dev-${String(N - i).padStart(3, '0')}`, location: i % 3 === 0 ? 'Kitchen' : 'Garage',
      tags: i % 4 === 0 ? ['even4', 'all'] : ['all'], profileId: i % 5 === 0 ? null : i % 2 ? lamps.id : pumps.id,
    }, 'admin');
    if (i % 7 === 0 && reply.token) h.services.protocol.checkin(id, reply.token, { rssi: -(i % 90) }, 'x');
    h.clock.advance(i % 7 === 0 ? 1 : 200);
  }
  h.services.tick();
  h.services.flush(); // as the flush timer would: sorts by telemetry read the flushed columns
  all = h.services.devices.list({ sort: 'id', order: 'asc', offset: 0, limit: 10000 }).items;
});
afterAll(() => h.close());

const list = (q: Partial<DeviceListQuery>) => h.services.devices.list({ sort: 'name', order: 'asc', offset: 0, limit: 100, ...q });

describe('admin device list', () => {
  it('returns everything with total and per-status counts over the whole fleet', () => {
    expect(all).toHaveLength(N);
    const counts = { online: 0, late: 0, offline: 0, pending: 0, blocked: 0 };
    for (const d of all) counts[d.status]++;
    expect(list({ q: 'Kitchen' }).counts).toEqual(counts);
    expect(counts.pending).toBe(N / 10);
    expect(counts.blocked).toBeGreaterThan(0);
    expect(counts.online + counts.late + counts.offline).toBeGreaterThan(0);
  });

  it('pages without gaps or overlaps in a stable order', () => {
    const seen: string[] = [];
    for (let offset = 0; offset < N; offset += 37) seen.push(...list({ offset, limit: 37 }).items.map((d) => d.id));
    expect(seen).toHaveLength(N);
    expect(new Set(seen).size).toBe(N);
    expect(list({ offset: N + 5 }).items).toEqual([]);
    expect(list({ offset: N + 5 }).total).toBe(N);
  });

  it('sorts by each key in both directions like a reference sort', () => {
    const cmpNames = (a: DeviceSummary, b: DeviceSummary) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id);
    expect(list({ limit: 1000 }).items.map((d) => d.id)).toEqual([...all].sort(cmpNames).map((d) => d.id));
    const byRssiDesc = list({ sort: 'rssi', order: 'desc', limit: 1000 }).items;
    for (let i = 1; i < byRssiDesc.length; i++) {
      const [a, b] = [byRssiDesc[i - 1]!.rssi, byRssiDesc[i]!.rssi];
      if (b !== null) expect(a === null ? -Infinity : a).toBeGreaterThanOrEqual(b);
    }
    const rank = { online: 0, late: 1, offline: 2, pending: 3, blocked: 4 };
    const byStatus = list({ sort: 'status', limit: 1000 }).items.map((d) => rank[d.status]);
    expect(byStatus).toEqual([...byStatus].sort((a, b) => a - b));
    const byProfile = list({ sort: 'profile', order: 'desc', limit: 1000 }).items.map((d) => d.profileName?.toLowerCase() ?? '');
    expect(byProfile).toEqual([...byProfile].sort().reverse());
    for (const sort of ['id', 'location', 'ip', 'ssid', 'fwVersion', 'inSync', 'lastSeenAt', 'createdAt'] as const) {
      for (const order of ['asc', 'desc'] as const) expect(list({ sort, order, limit: 1000 }).items).toHaveLength(N);
    }
  });

  it('filters by text across name, MAC (with or without colons), IP, location and tags', () => {
    const q = (text: string) => list({ q: text, limit: 1000 }).items.map((d) => d.id).sort();
    expect(q('dev-007')).toEqual(all.filter((d) => d.name === 'dev-007').map((d) => d.id));
    expect(q(macOf(42))).toEqual([macOf(42)]);
    expect(q(macOf(42).replaceAll(':', ''))).toEqual([macOf(42)]);
    expect(q('10.0.1.')).toEqual(all.filter((d) => d.ip!.startsWith('10.0.1.')).map((d) => d.id).sort());
    expect(q('kitchen')).toEqual(all.filter((d) => d.location === 'Kitchen').map((d) => d.id).sort());
    expect(q('even4')).toEqual(all.filter((d) => d.tags.includes('even4')).map((d) => d.id).sort());
    expect(list({ q: 'kitchen' }).total).toBe(all.filter((d) => d.location === 'Kitchen').length);
  });

  it('filters by status, profile (-1 = none) and tag, combined', () => {
    const ids = (q: Partial<DeviceListQuery>) => list({ ...q, limit: 1000 }).items.map((d) => d.id).sort();
    const expectIds = (f: (d: DeviceSummary) => boolean) => all.filter(f).map((d) => d.id).sort();
    expect(ids({ status: ['pending', 'blocked'] })).toEqual(expectIds((d) => d.status === 'pending' || d.status === 'blocked'));
    const lamps = all.find((d) => d.profileName === 'Lamps')!.profileId!;
    expect(ids({ profileId: lamps })).toEqual(expectIds((d) => d.profileId === lamps));
    expect(ids({ profileId: -1 })).toEqual(expectIds((d) => d.profileId === null));
    expect(ids({ tag: 'even4', q: 'garage', status: ['offline', 'pending'] })).toEqual(
      expectIds((d) => d.tags.includes('even4') && d.location === 'Garage' && ['offline', 'pending'].includes(d.status)),
    );
  });

  it('shows last-seen and telemetry from memory even before the flush reaches the disk', () => {
    const id = macOf(301);
    const { reply } = h.services.protocol.register(id, {}, null, 'x');
    h.services.devices.approve(id, 'admin');
    h.services.flush();
    h.clock.advance(1000);
    h.services.protocol.checkin(id, reply.token!, { rssi: -11, heap: 4242, uptime: 7 }, 'x');
    expect(list({ q: id }).items[0]).toMatchObject({ rssi: -11, heap: 4242, uptime: 7, lastSeenAt: h.clock.now() });
    h.services.devices.remove(id, 'admin');
  });

  it('items carry tags and profile names from the one list call', () => {
    const item = list({ q: macOf(4) }).items[0]!;
    expect(item).toMatchObject({ id: macOf(4), tags: ['all', 'even4'], profileName: 'pumps' });
  });
});
