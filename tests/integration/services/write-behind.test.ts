import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open';
import { createServices } from '../../../src/main/core/services';
import { newDeviceRuntime } from '../../../src/main/core/db/device-codec';
import { WriteBehind } from '../../../src/main/core/db/write-behind';
import { createPersistence } from '../../../src/main/core/db/persistence';
import type { Scheduler } from '../../../src/main/core/scheduler';
import { type Harness, makeHarness, registerDevice, silentLogger, testClock } from '../../unit/core/fixture';

let h: Harness;
let token: string;
const D = 'aa:bb:cc:00:00:01';
beforeEach(() => {
  h = makeHarness();
  token = registerDevice(h, D, { ip: '10.0.0.1' });
});
afterEach(() => h.close());

/** What another connection sees on disk (the write-behind's effect, not the in-memory picture). */
const onDisk = () => {
  const reader = new Database(h.dbFile, { readonly: true });
  try {
    return reader.prepare('SELECT last_seen_at, ip, rssi, heap, uptime, cfgsn_reported, status FROM devices WHERE id = ?').get(D) as Record<string, unknown>;
  } finally {
    reader.close();
  }
};

describe('write-behind check-in path', () => {
  it('keeps check-in data in memory and writes it with the next flush, in one go', () => {
    const registeredAt = h.clock.now();
    h.clock.advance(5000);
    h.services.protocol.checkin(D, token, { cfgsn: 1, ip: '10.0.0.2', rssi: -40, heap: 20000, uptime: 99 }, 'x');
    expect(onDisk()).toMatchObject({ last_seen_at: registeredAt, ip: '10.0.0.1', rssi: null, cfgsn_reported: null });
    expect(h.services.devices.get(D)).toMatchObject({ lastSeenAt: registeredAt + 5000, ip: '10.0.0.2', rssi: -40, inSync: true });
    h.services.flush();
    expect(onDisk()).toEqual({ last_seen_at: registeredAt + 5000, ip: '10.0.0.2', rssi: -40, heap: 20000, uptime: 99, cfgsn_reported: 1, status: 'online' });
  });

  it('device-driven events trail until the flush; operator events are on disk at once', () => {
    const count = () => {
      const reader = new Database(h.dbFile, { readonly: true });
      try {
        return reader.prepare('SELECT kind FROM events ORDER BY id').pluck().all();
      } finally {
        reader.close();
      }
    };
    h.services.config.setDeviceOverrides(D, { a: 1 }, 'admin');
    expect(count()).toEqual(['registered', 'config_changed']);
    h.services.protocol.checkin(D, token, { cfgsn: 2 }, 'x');
    expect(count()).toEqual(['registered', 'config_changed']);
    h.services.flush();
    expect(count()).toEqual(['registered', 'config_changed', 'config_applied']);
  });

  it('samples telemetry at most once a minute per device, and retention drops old samples', () => {
    for (let i = 0; i < 10; i++) {
      h.services.protocol.checkin(D, token, { rssi: -50 - i }, 'x');
      h.clock.advance(10_000);
    }
    h.services.flush();
    const samples = () => h.db.prepare('SELECT at, rssi FROM telemetry ORDER BY at').all();
    expect(samples()).toHaveLength(2);
    h.clock.advance(8 * 86_400_000);
    h.services.protocol.checkin(D, token, { rssi: -70 }, 'x');
    h.services.flush();
    expect(h.services.purgeTelemetry()).toBe(2);
    expect(samples()).toEqual([{ at: h.clock.now(), rssi: -70 }]);
  });

  it('announces liveness to delta subscribers from the check-in, without a flush, at most once per 5 s per device', () => {
    h.deltas.length = 0;
    for (let i = 0; i < 10; i++) {
      h.clock.advance(1000);
      h.services.protocol.checkin(D, token, { rssi: -40 - i }, 'x');
    }
    expect(onDisk()).toMatchObject({ rssi: null }); // nothing was written: the deltas did not wait for the disk
    const announced = h.deltas.flatMap((d) => (d.type === 'device' && d.device.id === D ? [d.device.rssi] : []));
    expect(announced).toEqual([-40, -45]);
  });

  it('the latest liveness held back by that limit is announced once the limit allows, without a new check-in', () => {
    h.deltas.length = 0;
    h.clock.advance(10_000);
    h.services.protocol.checkin(D, token, { rssi: -50, heap: 20_000, uptime: 100 }, 'x');
    h.services.flush();
    h.clock.advance(1000);
    h.services.protocol.checkin(D, token, { rssi: -61, heap: 19_000, uptime: 101 }, 'x');
    h.services.flush();
    h.clock.advance(3000);
    h.services.tick();
    h.clock.advance(1000);
    h.services.tick(); // no check-in since: the status timer sends what was held back
    const announced = h.deltas.flatMap((d) => (d.type === 'device' && d.device.id === D ? [[d.device.rssi, d.device.heap, d.device.uptime]] : []));
    expect(announced).toEqual([[-50, 20_000, 100], [-61, 19_000, 101]]);
  });

  it('buffered liveness of a deleted device never lands on a device re-registered under its id', () => {
    h.services.protocol.checkin(D, token, { cfgsn: 1, rssi: -99, ip: '10.9.9.9' }, 'x');
    h.services.devices.remove(D, 'admin');
    h.services.protocol.register(D, { ip: '10.0.0.7' }, null, 'x');
    h.services.flush();
    expect(onDisk()).toMatchObject({ ip: '10.0.0.7', rssi: null, cfgsn_reported: null });
    h.restart();
    expect(h.services.devices.get(D)).toMatchObject({ ip: '10.0.0.7', rssi: null, cfgsnReported: null });
  });

  it('stop() flushes; a restart sees everything', () => {
    h.services.protocol.checkin(D, token, { cfgsn: 1, rssi: -33 }, 'x');
    h.restart();
    expect(h.services.devices.get(D)).toMatchObject({ rssi: -33, cfgsnReported: 1 });
  });

  it('the flush timer writes the buffer every flushMs (the steps held back, so only the timer can)', () => {
    /** Holds the repeating timers; the test runs them instead of waiting for real time. */
    const held: { ms: number; work: () => void }[] = [];
    const scheduler: Scheduler = {
      every(ms, work) {
        const timer = { ms, work };
        held.push(timer);
        return () => held.splice(held.indexOf(timer), 1);
      },
    };
    const db = openDatabase(':memory:');
    const services = createServices({
      db, dataDir: h.dir, clock: testClock(), logger: silentLogger, scheduler,
      timers: { flushMs: 700, statusMs: 60_000, retentionMs: 3_600_000 },
      writeBehindPacing: { stepDelayMs: 3_600_000, stepRows: 32 },
    });
    const rssi = () => db.prepare('SELECT rssi FROM devices').pluck().get();
    try {
      const t = services.protocol.register(D, {}, null, 'x').reply.token!;
      services.start();
      services.protocol.checkin(D, t, { rssi: -12 }, 'x');
      expect(rssi()).toBeNull();
      const flushTimers = held.filter((timer) => timer.ms === 700);
      expect(flushTimers).toHaveLength(1);
      flushTimers[0]!.work();
      expect(rssi()).toBe(-12);
    } finally {
      services.stop();
      closeDatabase(db);
    }
    expect(held).toEqual([]); // stop() cancelled every timer
  });

  it('waitForChange resolves on timeout and on abort, and leaves no waiter behind', async () => {
    const started = Date.now();
    await h.services.protocol.waitForChange(D, 30, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const controller = new AbortController();
    const pending = h.services.protocol.waitForChange(D, 60_000, controller.signal);
    controller.abort();
    await pending;
    // stop() releases every waiting long-poll
    const held = h.services.protocol.waitForChange(D, 60_000, new AbortController().signal);
    h.services.stop();
    await held;
  });
});

describe('write-behind steps', () => {
  const N = 50;
  const ids = Array.from({ length: N }, (_, i) => `aa:bb:cc:00:01:${i.toString(16).padStart(2, '0')}`);
  const setup = (pacing = { stepDelayMs: 5, stepRows: 8 }) => {
    const db = openDatabase(':memory:');
    const insert = db.prepare("INSERT INTO devices (id, name, location, state, created_at, overrides, cfgsn) VALUES (?, '', '', 'active', 1, '{}', 1)");
    for (const id of ids) insert.run(id);
    const batches: number[] = [];
    const wb = new WriteBehind(db, (batch) => batches.push(batch.devices), pacing);
    const devices = ids.map((id) => newDeviceRuntime({ id, state: 'active', tokenHash: null, protocol: 'v1', createdAt: 1, cfgsn: 1, status: 'online' }));
    const seen = () => db.prepare('SELECT count(*) FROM devices WHERE last_seen_at IS NOT NULL').pluck().get();
    return { db, wb, devices, batches, seen };
  };
  const until = (done: () => boolean) =>
    vi.waitFor(() => {
      if (!done()) throw new Error('not yet');
    }, { timeout: 5000, interval: 5 });

  it('drains the buffer by itself in transactions of at most stepRows rows', async () => {
    const { db, wb, devices, batches, seen } = setup();
    for (const [i, d] of devices.entries()) {
      d.lastSeenAt = 1000 + i;
      wb.markDirty(d);
      wb.sample(d.id, 1000 + i, -40, 1, 2);
    }
    expect(seen()).toBe(0); // nothing on the check-in's own turn of the loop
    await until(() => wb.pending === 0);
    expect(wb.pending).toBe(0);
    expect(seen()).toBe(N);
    expect(db.prepare('SELECT count(*) FROM telemetry').pluck().get()).toBe(N);
    // 50 liveness rows + 50 samples in steps of 8: the device rows went out in several transactions
    expect(batches.every((n) => n <= 8)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(N);
    wb.stopSteps();
    db.close();
  });

  it('a device forgotten while the steps run is not written; flush() writes the rest at once', () => {
    const { db, wb, devices, batches, seen } = setup({ stepDelayMs: 60_000, stepRows: 8 });
    for (const d of devices) {
      d.lastSeenAt = 5;
      wb.markDirty(d);
    }
    wb.forget(devices[0]!);
    wb.flush();
    expect(batches).toEqual([N - 1]);
    expect(seen()).toBe(N - 1);
    wb.stopSteps();
    db.close();
  });

  it('a failed step stops the steps; the next flush() writes what is left and reports the failure', async () => {
    const { db, wb, devices, seen } = setup();
    wb.later(() => {
      throw new Error('queued write failed');
    });
    await until(() => wb.pending === 0); // the step took the write, and failed
    for (const d of devices) {
      d.lastSeenAt = 7;
      wb.markDirty(d);
    }
    expect(wb.stepScheduled).toBe(false); // no step after a failure
    expect(seen()).toBe(0);
    expect(() => wb.flush()).toThrow('queued write failed');
    expect(seen()).toBe(N);
    expect(() => wb.flush()).not.toThrow();
    wb.stopSteps();
    db.close();
  });

  it('stop() after a step failed earlier (a full disk, since freed) writes the rest and logs the old failure instead of throwing', async () => {
    const db = openDatabase(':memory:');
    const logged: string[] = [];
    const persistence = createPersistence(db, { logger: { error: (_obj, msg) => logged.push(msg ?? '') }, pacing: { stepDelayMs: 5, stepRows: 8 } });
    let wrote = false;
    persistence.queue.later(() => {
      throw new Error('database or disk is full');
    });
    await until(() => logged.length === 0 && !(persistence.queue as WriteBehind).stepScheduled && (persistence.queue as WriteBehind).pending === 0);
    persistence.queue.later(() => {
      wrote = true;
    });
    expect(() => persistence.stop()).not.toThrow();
    expect(wrote).toBe(true);
    expect(logged).toEqual(['an earlier write-behind step failed; everything is written now']);
    db.close();
  });
});
