/** Admission rules with the injected clock: claim windows expire, budgets refill each minute, caps hold. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetError } from '../../../src/main/core/errors';
import { networkOf } from '../../../src/main/core/services/admission/network';
import { type Harness, makeHarness, registerDevice } from '../../unit/core/fixture';

let h: Harness;
beforeEach(() => {
  h = makeHarness({ budgets: true });
});
afterEach(() => h.close());

const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof FleetError) return `${err.status} ${err.code}${err.retryAfterSeconds ? ` retry ${err.retryAfterSeconds}` : ''}`;
    throw err;
  }
  return 'admitted';
};

describe('admission', () => {
  it('networks: IPv4 /24, IPv6 /64 (any spelling), IPv4-mapped as IPv4', () => {
    expect(networkOf('192.168.7.201')).toBe('192.168.7.0/24');
    expect(networkOf('::ffff:192.168.7.3')).toBe('192.168.7.0/24');
    expect(networkOf('fd00:1:2:3:aaaa::1')).toBe('fd00:1:2:3::/64');
    expect(networkOf('fd00:0001:0002:0003:ffff:1:2:3')).toBe('fd00:1:2:3::/64');
    expect(networkOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('a claim window lets the device register again until it expires, then 409', () => {
    const old = registerDevice(h, 'aa:bb:cc:00:00:01');
    h.services.settings.patch({ claimWindowMinutes: 5 }, 'admin');
    h.services.devices.resetCredentials('aa:bb:cc:00:00:01', 'admin');
    const window = h.services.admission.claims().items[0]!;
    expect(window).toMatchObject({ deviceId: 'aa:bb:cc:00:00:01', kind: 'window', expiresAt: h.clock.now() + 5 * 60_000 });
    h.clock.advance(5 * 60_000);
    expect(refusal(() => h.services.protocol.register('aa:bb:cc:00:00:01', {}, old, '10.0.0.1'))).toBe('409 conflict');
    expect(h.services.admission.claims().items).toEqual([]);
    expect(h.services.events.list({ kind: 'claim_refused', limit: 5 })).toHaveLength(1);
  });

  it('claim windows and waiting claims survive a restart', () => {
    registerDevice(h, 'aa:bb:cc:00:00:02');
    h.services.devices.resetCredentials('aa:bb:cc:00:00:02', 'admin');
    h.restart();
    expect(h.services.protocol.register('aa:bb:cc:00:00:02', {}, null, '10.0.0.1').status).toBe(201);
  });

  it('budgets refill after a minute; refusals carry Retry-After and collapse into one event', () => {
    h.services.settings.patch({ newDevicesPerNetworkPerMinute: 2, newDevicesPerMinute: 3 }, 'admin');
    const reg = (n: number, from: string) => refusal(() => h.services.protocol.register(`aa:bb:cc:00:01:0${n}`, {}, null, from));
    expect([reg(1, '10.0.0.1'), reg(2, '10.0.0.2'), reg(3, '10.0.0.3')]).toEqual(['admitted', 'admitted', '429 rate_limited retry 60']);
    expect(reg(4, '10.0.1.1')).toBe('admitted');
    expect(reg(5, '10.0.2.1')).toBe('429 rate_limited retry 60');
    h.clock.advance(30_000);
    expect(reg(6, '10.0.2.1')).toBe('429 rate_limited retry 30');
    // loopback is exempt by default
    expect(reg(7, '127.0.0.1')).toBe('admitted');
    h.clock.advance(30_000);
    expect(reg(8, '10.0.0.1')).toBe('admitted');
    const limits = h.services.admission.limits();
    expect(limits.recent.map((l) => [l.kind, l.count]).sort()).toEqual([['global_budget', 2], ['network_budget', 1]]);
    h.services.flush();
    const events = h.services.events.list({ kind: 'limit_reached', limit: 10 });
    expect(events.map((e) => [e.data?.kind, e.count]).sort()).toEqual([['global_budget', 2], ['network_budget', 1]]);
  });

  it('the fleet cap counts every device, loopback included', () => {
    h.services.settings.patch({ fleetCap: 2 }, 'admin');
    registerDevice(h, 'aa:bb:cc:00:02:01');
    h.services.protocol.legacyRegister('legacy-1', {}, '127.0.0.1');
    expect(refusal(() => h.services.protocol.register('aa:bb:cc:00:02:03', {}, null, '127.0.0.1'))).toBe('503 capacity_reached retry 3600');
    expect(h.deltas.some((d) => d.type === 'limits')).toBe(true);
  });
});
