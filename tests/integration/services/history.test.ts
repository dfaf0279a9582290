/**
 * Device history on a real SQLite file with a hand-moved clock: hourly min/avg/max buckets from
 * check-ins, reboots from uptime that went down, the availability bar, retention, and the storage
 * a device costs per day.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, makeHarness, registerDevice } from '../../unit/core/fixture';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D = 'aa:bb:cc:00:10:01';
let h: Harness;
let token: string;

beforeEach(() => {
  h = makeHarness();
  // start on a whole hour, so the hours of the test are the buckets
  h.clock.t = Math.ceil(h.clock.t / HOUR) * HOUR;
  token = registerDevice(h, D);
});
afterEach(() => h.close());

/** Check-ins every `everyMs` for `ms`, with readings from `reading(i)`. */
function checkinsFor(ms: number, everyMs: number, reading: (i: number) => Record<string, unknown>, id = D, tok = token): void {
  for (let i = 0; i * everyMs < ms; i++) {
    h.services.protocol.checkin(id, tok, reading(i), 'x');
    h.clock.advance(everyMs);
  }
}

describe('device history', () => {
  it('keeps one min/avg/max bucket per hour, including the hour still in memory', () => {
    // hour 1: rssi alternates -40/-60, heap climbs; hour 2: steady
    checkinsFor(HOUR, 30_000, (i) => ({ rssi: i % 2 === 0 ? -40 : -60, heap: 20_000 + i, uptime: 100 + i * 30 }));
    checkinsFor(HOUR / 2, 30_000, () => ({ rssi: -70, heap: 15_000, uptime: 4000 }));
    h.services.sampleHistory(); // closes the finished hour
    const count = () => h.db.prepare('SELECT count(*) FROM history_buckets').pluck().get();

    const week = h.services.telemetry.history(D, '7d');
    expect(count()).toBe(1); // the second hour is still in memory, and read from there
    expect(week.source).toBe('buckets');
    expect(week.points).toHaveLength(2);
    expect(week.points[0]).toMatchObject({ checkins: 120, rssiMin: -60, rssiAvg: -50, rssiMax: -40, heapMin: 20_000, heapMax: 20_119, uptime: 100 + 119 * 30 });
    expect(week.points[1]).toMatchObject({ checkins: 60, rssiMin: -70, rssiMax: -70, heapAvg: 15_000 });
    expect(week.points[1]!.gapMax).toBe(30_000);

    // the flush a backup makes writes the open hour too, and the history reads the same
    h.services.flush();
    expect(count()).toBe(2);
    expect(h.services.telemetry.history(D, '7d').points).toEqual(week.points);
  });

  it('reads the last hour and day from the raw samples, min/avg/max per step', () => {
    checkinsFor(2 * HOUR, 60_000, (i) => ({ rssi: -50 - (i % 3), heap: 30_000 }));
    const hour = h.services.telemetry.history(D, '1h');
    expect(hour.source).toBe('raw');
    // one sample a minute, one step a minute: 60 points in the hour (61 when the edge is in range)
    expect(hour.points.length).toBeGreaterThanOrEqual(60);
    expect(hour.points.length).toBeLessThanOrEqual(61);
    const day = h.services.telemetry.history(D, '24h');
    expect(day.stepMs).toBe(300_000);
    expect(day.points.length).toBe(24);
    expect(day.points.every((p) => p.rssiMin! <= p.rssiAvg! && p.rssiAvg! <= p.rssiMax!)).toBe(true);
    expect(Math.min(...day.points.map((p) => p.rssiMin!))).toBe(-52);
  });

  it('an uptime that goes down is a reboot, marked at the estimated boot time and counted in its hour', () => {
    checkinsFor(10 * 60_000, 60_000, (i) => ({ uptime: 1000 + i * 60 }));
    h.services.protocol.checkin(D, token, { uptime: 5 }, 'x');
    h.clock.advance(60_000);
    h.services.protocol.checkin(D, token, { uptime: 65 }, 'x');
    const history = h.services.telemetry.history(D, '24h');
    expect(history.reboots).toEqual([{ at: h.clock.now() - 60_000 - 5000, uptimeBefore: 1000 + 9 * 60, reason: null }]);
    h.clock.advance(HOUR);
    h.services.sampleHistory();
    h.services.flush();
    expect(h.db.prepare('SELECT reboots FROM history_buckets WHERE device_id = ?').pluck().get(D)).toBe(1);
    expect(h.services.telemetry.dashboard('24h').mostReboots).toMatchObject([{ id: D, value: 1 }]);
  });

  it('an hour cut by a restart merges with the rest of the hour', () => {
    checkinsFor(HOUR / 2, 60_000, () => ({ rssi: -40, heap: 1000 }));
    h.restart();
    checkinsFor(HOUR / 2, 60_000, () => ({ rssi: -80, heap: 3000 }));
    h.services.sampleHistory();
    const [point] = h.services.telemetry.history(D, '7d').points;
    expect(point).toMatchObject({ checkins: 60, rssiMin: -80, rssiMax: -40, rssiAvg: -60, heapAvg: 2000 });
  });

  it('availability: hours with check-ins are up, silent hours down, late silences degrade an hour', () => {
    checkinsFor(2 * HOUR, 30_000, () => ({ rssi: -50 })); // hours 0-1 up
    h.clock.advance(1.5 * HOUR); // hour 2: nothing
    checkinsFor(HOUR / 2, 30_000, () => ({ rssi: -50 })); // hour 3: back at half past
    h.clock.advance(10 * 60_000);
    h.services.protocol.checkin(D, token, { rssi: -50 }, 'x'); // hour 4: 10 min late
    h.clock.advance(1000);
    const availability = h.services.telemetry.availability(D, '24h');
    expect(availability.cells).toHaveLength(24);
    const states = availability.cells.slice(-5).map((c) => c.state);
    expect(states).toEqual(['up', 'up', 'down', 'degraded', 'degraded']);
    expect(availability.cells.slice(0, 19).every((c) => c.state === 'none')).toBe(true);
    const day = availability.uptime['24h']!;
    // 4 h 10 min of life, 1 h 40 min of it silent
    expect(day).toBeGreaterThan(0.5);
    expect(day).toBeLessThan(0.8);
    expect(availability.uptime['30d']).toBe(day);
  });

  it('retention drops raw samples after their days and hourly history after its days', () => {
    checkinsFor(2 * HOUR, 60_000, () => ({ rssi: -50 }));
    h.services.sampleHistory();
    h.services.flush();
    h.services.settings.patch({ telemetryRetentionDays: 1, historyRetentionDays: 30 }, 'admin');
    h.clock.advance(2 * DAY);
    h.services.purgeTelemetry();
    expect(h.db.prepare('SELECT count(*) FROM telemetry').pluck().get()).toBe(0);
    expect(h.db.prepare('SELECT count(*) FROM history_buckets').pluck().get()).toBe(2);
    h.clock.advance(30 * DAY);
    h.services.purgeTelemetry();
    expect(h.db.prepare('SELECT count(*) FROM history_buckets').pluck().get()).toBe(0);
  });
});
