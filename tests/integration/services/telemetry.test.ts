import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, makeHarness, registerDevice } from '../../unit/core/fixture';

let h: Harness;
let token: string;
const D = 'aa:bb:cc:00:00:01';
beforeEach(() => {
  h = makeHarness();
  token = registerDevice(h, D);
});
afterEach(() => h.close());

describe('telemetry series', () => {
  it('is downsampled to at most maxPoints buckets of averages, newest samples included', () => {
    const start = h.clock.now();
    h.clock.advance(30_000); // keep samples off the bucket edges
    for (let minute = 0; minute < 120; minute++) {
      h.services.protocol.checkin(D, token, { rssi: minute < 60 ? -40 : -80, heap: 1000 + minute, uptime: minute * 60 }, 'x');
      h.clock.advance(60_000);
    }
    const series = h.services.telemetry.series(D, { since: start, maxPoints: 2 });
    expect(series).toHaveLength(2);
    expect(series.map((p) => p.rssi)).toEqual([-40, -80]);
    expect(series[0]!.at).toBe(start);
    expect(series[1]!.uptime).toBe(119 * 60);
    expect(h.services.telemetry.series(D, { since: start, maxPoints: 500 })).toHaveLength(120);
    expect(h.services.telemetry.series(D, { since: h.clock.now() - 30 * 60_000 - 1, maxPoints: 500 })).toHaveLength(30);
    expect(() => h.services.telemetry.series('aa:bb:cc:00:00:99', { maxPoints: 10 })).toThrow(/no device/);
  });
});
