import { describe, expect, it } from 'vitest';
import type { DeviceSummary } from '../../../src/shared/api';
import { NO_READINGS } from '../../../src/shared/protocol';
import { groupRows, isGroupRow } from '../../../src/renderer/src/stores/fleet-grouping';
import { compareDevices, isSorted } from '../../../src/renderer/src/stores/fleet-sort';

function device(id: string, extra: Partial<DeviceSummary> = {}): DeviceSummary {
  return {
    ...NO_READINGS, id, name: id, location: '', profileId: null, profileName: null, tags: [], state: 'active', status: 'online',
    ip: null, ssid: null, rssi: -60, heap: 30000, uptime: 10, fwVersion: '1.0', cfgsn: 1, cfgsnReported: 1,
    inSync: true, lastSeenAt: 1000, createdAt: 1, checkinInterval: 30, protocol: 'v1', ...extra,
  };
}

const labels = (rows: ReturnType<typeof groupRows>['rows']) => rows.map((r) => (isGroupRow(r) ? `[${r.label} ${r.count}]` : r.id));

describe('groupRows', () => {
  const rows = [
    device('d1', { profileId: 2, profileName: 'boiler', location: 'Cellar' }),
    device('d2', { profileId: null, location: 'roof ' }),
    device('d3', { profileId: 1, profileName: 'Attic', location: 'Roof', status: 'offline' }),
    device('d4', { profileId: 2, profileName: 'boiler', location: '' }),
    device('d5', { profileId: 1, profileName: 'Attic', location: 'Roof', status: 'late' }),
  ];

  it('leaves the list as it is without grouping', () => {
    const g = groupRows(rows, 'none', new Set());
    expect(g.rows).toBe(rows);
    expect(g.deviceIds).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
  });

  it('groups by profile name (case-insensitive), "No profile" last, keeping the list order inside', () => {
    const g = groupRows(rows, 'profile', new Set());
    expect(labels(g.rows)).toEqual(['[Attic 2]', 'd3', 'd5', '[boiler 2]', 'd1', 'd4', '[No profile 1]', 'd2']);
    const attic = g.rows[0]!;
    expect(isGroupRow(attic) && { offline: attic.offline, late: attic.late, online: attic.online }).toEqual({ offline: 1, late: 1, online: 0 });
  });

  it('groups by location ("Roof" and "roof " are one place) and leaves folded rows out of the order', () => {
    const g = groupRows(rows, 'location', new Set(['location:roof']));
    expect(labels(g.rows)).toEqual(['[Cellar 1]', 'd1', '[Roof 3]', '[No location 1]', 'd4']);
    expect(g.deviceIds).toEqual(['d1', 'd4']);
  });
});

describe('compareDevices mirrors the server order', () => {
  it('sorts by signal with NULL first ascending and ties by MAC', () => {
    const list = [device('b', { rssi: -50 }), device('a', { rssi: -50 }), device('c', { rssi: null }), device('d', { rssi: -80 })];
    expect([...list].sort(compareDevices('rssi', 'asc')).map((d) => d.id)).toEqual(['c', 'd', 'a', 'b']);
    expect([...list].sort(compareDevices('rssi', 'desc')).map((d) => d.id)).toEqual(['b', 'a', 'd', 'c']);
  });
  it('folds ASCII case for names and ranks status as the server does', () => {
    const list = [device('1', { name: 'beta' }), device('2', { name: 'Alpha' }), device('3', { name: 'alpha' })];
    expect([...list].sort(compareDevices('name', 'asc')).map((d) => d.id)).toEqual(['2', '3', '1']);
    const statuses = [device('x', { status: 'offline' }), device('y', { status: 'online' }), device('z', { status: 'late' })];
    expect([...statuses].sort(compareDevices('status', 'asc')).map((d) => d.id)).toEqual(['y', 'z', 'x']);
  });
  it('tells a sorted list from one a check-in disturbed', () => {
    const compare = compareDevices('lastSeenAt', 'desc');
    expect(isSorted([device('a', { lastSeenAt: 3 }), device('b', { lastSeenAt: 2 })], compare)).toBe(true);
    expect(isSorted([device('a', { lastSeenAt: 3 }), device('b', { lastSeenAt: 9 })], compare)).toBe(false);
  });
});
