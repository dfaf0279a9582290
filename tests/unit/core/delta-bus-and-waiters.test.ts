import { describe, expect, it } from 'vitest';
import { DeltaBusImpl } from '../../../src/main/core/events/delta-bus';
import { DeviceWaiters } from '../../../src/main/core/state/waiters';
import type { FleetDelta } from '../../../src/shared/api';

describe('DeltaBusImpl', () => {
  it('delivers to every subscriber until unsubscribed; a throwing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const bus = new DeltaBusImpl((err) => errors.push(err));
    const got: FleetDelta[] = [];
    bus.subscribe(() => {
      throw new Error('bad listener');
    });
    const off = bus.subscribe((d) => got.push(d));
    bus.emit({ type: 'settings' });
    off();
    bus.emit({ type: 'firmware' });
    expect(got).toEqual([{ type: 'settings' }]);
    expect(errors).toHaveLength(2);
  });

  it('holds deltas until the held work returns, and drops them when it throws', () => {
    const bus = new DeltaBusImpl();
    const got: string[] = [];
    bus.subscribe((d) => got.push(d.type));
    bus.hold(() => {
      bus.emit({ type: 'settings' });
      bus.hold(() => bus.emit({ type: 'firmware' })); // nested: delivered by the outer hold
      expect(got).toEqual([]);
    });
    expect(got).toEqual(['settings', 'firmware']);
    expect(() =>
      bus.hold(() => {
        bus.emit({ type: 'profile', profileId: 1 });
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    bus.emit({ type: 'device_removed', id: 'x' });
    expect(got).toEqual(['settings', 'firmware', 'device_removed']);
  });
});

describe('DeviceWaiters', () => {
  it('wakes only the waiters of the notified device and cleans up after every ending', async () => {
    const waiters = new DeviceWaiters();
    const ended: string[] = [];
    const a = waiters.wait('a', 60_000, new AbortController().signal).then(() => ended.push('a'));
    const b = waiters.wait('b', 60_000, new AbortController().signal).then(() => ended.push('b'));
    const controller = new AbortController();
    const c = waiters.wait('a', 60_000, controller.signal).then(() => ended.push('c'));
    expect(waiters.count()).toBe(3);
    expect(waiters.count('a')).toBe(2);
    expect(waiters.count('nobody')).toBe(0);
    waiters.notify('a');
    await Promise.all([a, c]);
    expect(ended.sort()).toEqual(['a', 'c']);
    expect(waiters.count()).toBe(1);
    await waiters.wait('b', 5, new AbortController().signal); // timeout
    const d = waiters.wait('d', 60_000, AbortSignal.abort()); // already aborted: resolves at once
    await d;
    expect(waiters.count()).toBe(1);
    waiters.notifyAll();
    await b;
    expect(waiters.count()).toBe(0);
  });

  it('an abort ends the wait and removes the waiter', async () => {
    const waiters = new DeviceWaiters();
    const controller = new AbortController();
    const w = waiters.wait('a', 60_000, controller.signal);
    controller.abort();
    await w;
    expect(waiters.count()).toBe(0);
  });
});
