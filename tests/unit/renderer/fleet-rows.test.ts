import { describe, expect, it } from 'vitest';
import type { DeviceSummary } from '../../../src/shared/api';
import { NO_READINGS } from '../../../src/shared/protocol';
import { applyDeltasToRows, DeferredDeltas, indexRows, matchesFilter } from '../../../src/renderer/src/stores/fleet-rows';

function device(id: string, extra: Partial<DeviceSummary> = {}): DeviceSummary {
  return {
    ...NO_READINGS, id, name: `dev ${id}`, location: '', profileId: null, profileName: null, tags: [], state: 'active', status: 'online',
    ip: '10.0.0.1', ssid: 'lab', rssi: -60, heap: 30000, uptime: 10, fwVersion: '1.0', cfgsn: 1, cfgsnReported: 1,
    inSync: true, lastSeenAt: 1000, createdAt: 1, checkinInterval: 30, protocol: 'v1', ...extra,
  };
}

describe('matchesFilter', () => {
  it('searches name, MAC, IP, location and tags case-insensitively', () => {
    const d = device('aa:bb:cc:00:00:01', { name: 'Greenhouse', location: 'Shed', tags: ['Roof'], ip: '192.0.2.7' });
    for (const q of ['green', 'AA:BB', '192.0.2', 'shed', 'roof']) expect(matchesFilter(d, { q })).toBe(true);
    expect(matchesFilter(d, { q: 'kitchen' })).toBe(false);
  });
  it('filters by status, profile (-1 = none) and tag', () => {
    const d = device('x1', { status: 'late', profileId: 3, tags: ['a'] });
    expect(matchesFilter(d, { status: ['late', 'offline'] })).toBe(true);
    expect(matchesFilter(d, { status: ['online'] })).toBe(false);
    expect(matchesFilter(d, { profileId: 3 })).toBe(true);
    expect(matchesFilter(d, { profileId: -1 })).toBe(false);
    expect(matchesFilter(device('x2'), { profileId: -1 })).toBe(true);
    expect(matchesFilter(d, { tag: 'a' })).toBe(true);
    expect(matchesFilter(d, { tag: 'b' })).toBe(false);
  });
});

describe('applyDeltasToRows', () => {
  const rows = [device('a'), device('b'), device('c')];

  it('replaces a changed row in place and keeps every other row object', () => {
    const index = indexRows(rows);
    const change = applyDeltasToRows(rows, index, [{ type: 'device', device: device('b', { name: 'renamed' }) }], {});
    expect(change.rows).not.toBe(rows);
    expect(change.rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(change.rows[1]!.name).toBe('renamed');
    expect(change.rows[0]).toBe(rows[0]);
    expect(change.rows[2]).toBe(rows[2]);
    expect(change.totalDelta).toBe(0);
  });

  it('applies a status delta to the row', () => {
    const change = applyDeltasToRows(rows, indexRows(rows), [{ type: 'status', id: 'c', status: 'offline', lastSeenAt: 5 }], {});
    expect(change.rows[2]).toMatchObject({ id: 'c', status: 'offline', lastSeenAt: 5 });
    expect(change.countsStale).toBe(true);
  });

  it('appends a new device only when it matches the filter', () => {
    const index = indexRows(rows);
    const hit = applyDeltasToRows(rows, index, [{ type: 'device', device: device('d', { tags: ['x'] }) }], { tag: 'x' });
    expect(hit.rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(hit.totalDelta).toBe(1);
    expect(index.get('d')).toBe(3);
    const miss = applyDeltasToRows(rows, indexRows(rows), [{ type: 'device', device: device('e') }], { tag: 'x' });
    expect(miss.changed).toBe(false);
    expect(miss.rows).toBe(rows);
  });

  it('drops removed devices and reindexes', () => {
    const index = indexRows(rows);
    const change = applyDeltasToRows(rows, index, [{ type: 'device_removed', id: 'a' }], {});
    expect(change.rows.map((r) => r.id)).toEqual(['b', 'c']);
    expect(change.totalDelta).toBe(-1);
    expect(index.get('c')).toBe(1);
    expect(index.has('a')).toBe(false);
  });

  it('returns the same array for deltas that touch no row', () => {
    const change = applyDeltasToRows(rows, indexRows(rows), [{ type: 'firmware' }, { type: 'status', id: 'zz', status: 'late', lastSeenAt: 1 }], {});
    expect(change.rows).toBe(rows);
    expect(change.changed).toBe(false);
  });
});

describe('DeferredDeltas (while the rest of the list loads)', () => {
  it('holds deltas of rows not loaded yet and applies them to the row when it arrives', () => {
    const rows = [device('a')];
    const deferred = new DeferredDeltas();
    const now = deferred.holdUnknown([
      { type: 'device', device: device('a', { name: 'known' }) },
      { type: 'device', device: device('m', { ip: '198.51.100.9' }) },
      { type: 'status', id: 'm', status: 'late', lastSeenAt: 7 },
      { type: 'device', device: device('gone') },
      { type: 'device_removed', id: 'gone' },
      { type: 'device', device: device('new') },
    ], indexRows(rows));
    expect(now).toHaveLength(1);
    expect(deferred.take(device('m'))).toMatchObject({ id: 'm', ip: '198.51.100.9', status: 'late', lastSeenAt: 7 });
    expect(deferred.take(device('gone'))).toBeNull();
    expect(deferred.take(device('z'))).toEqual(device('z'));
    expect(deferred.remaining()).toEqual([{ type: 'device', device: device('new') }]);
  });
});
