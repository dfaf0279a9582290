import { describe, expect, it } from 'vitest';
import type { FleetEvent, FleetEventKind } from '../../../src/shared/api';
import { collapseFlapping, eventMatches, FLAP_WINDOW_MS } from '../../../src/shared/event-rows';

const MIN = 60_000;
let nextId = 1000;
/** newest first, as the API lists them: build oldest first and reverse */
const ev = (kind: FleetEventKind, deviceId: string | null, at: number, count = 1): FleetEvent =>
  ({ id: nextId--, at, kind, deviceId, message: kind, data: null, count });

describe('collapseFlapping', () => {
  it('folds one device bouncing online/late/offline into one row with the transitions counted', () => {
    const events = [
      ev('came_online', 'a', 40 * MIN),
      ev('went_offline', 'a', 35 * MIN, 3),
      ev('came_online', 'a', 30 * MIN),
      ev('went_late', 'a', 25 * MIN),
    ];
    const rows = collapseFlapping(events);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ type: 'flapping', deviceId: 'a', transitions: 6, from: 25 * MIN, to: 40 * MIN });
    expect(row!.type === 'flapping' && row!.events.map((e) => e.kind)).toEqual(['came_online', 'went_offline', 'came_online', 'went_late']);
  });

  it('keeps interleaved devices apart and each group at the place of its newest event', () => {
    const events = [
      ev('came_online', 'a', 10 * MIN),
      ev('came_online', 'b', 9 * MIN),
      ev('went_offline', 'a', 8 * MIN),
      ev('went_offline', 'b', 7 * MIN),
      ev('registered', null, 6 * MIN),
    ];
    const rows = collapseFlapping(events);
    expect(rows.map((r) => (r.type === 'flapping' ? `${r.deviceId}×${r.events.length}` : r.event.kind))).toEqual(['a×2', 'b×2', 'registered']);
  });

  it('breaks a burst at another event of the same device and at a gap longer than the window', () => {
    const events = [
      ev('came_online', 'a', 100 * MIN),
      ev('went_offline', 'a', 99 * MIN),
      ev('config_applied', 'a', 98 * MIN),
      ev('came_online', 'a', 97 * MIN),
      ev('went_offline', 'a', 97 * MIN - FLAP_WINDOW_MS - 1),
    ];
    const rows = collapseFlapping(events);
    expect(rows.map((r) => (r.type === 'flapping' ? `flap×${r.events.length}` : r.event.kind))).toEqual(['flap×2', 'config_applied', 'came_online', 'went_offline']);
  });

  it('leaves a lone transition and non-connectivity events as they are', () => {
    const events = [ev('went_offline', 'a', 5 * MIN), ev('config_changed', 'a', 4 * MIN), ev('config_changed', 'a', 3 * MIN)];
    expect(collapseFlapping(events).every((r) => r.type === 'event')).toBe(true);
  });
});

describe('eventMatches', () => {
  const e = ev('went_late', 'aa:bb:cc:00:00:01', 5_000);
  it('applies kind, device, time and hide connectivity', () => {
    expect(eventMatches(e, {})).toBe(true);
    expect(eventMatches(e, { kind: ['registered'] })).toBe(false);
    expect(eventMatches(e, { kind: ['registered', 'went_late'] })).toBe(true);
    expect(eventMatches(e, { deviceId: 'aa:bb:cc:00:00:02' })).toBe(false);
    expect(eventMatches(e, { since: 5_001 })).toBe(false);
    expect(eventMatches(e, { since: 5_000, until: 5_001 })).toBe(true);
    expect(eventMatches(e, { until: 5_000 })).toBe(false);
    expect(eventMatches(e, { hideConnectivity: true })).toBe(false);
    expect(eventMatches(ev('config_applied', 'x', 1), { hideConnectivity: true })).toBe(true);
  });
});
