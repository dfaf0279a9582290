/** Events and finished commands are pruned by age and by count, in small batches. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, makeHarness, registerDevice } from '../../unit/core/fixture';

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.close());

const count = (table: string): number => h.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('retention', () => {
  it('keeps at most eventRetentionCount events and none older than eventRetentionDays', async () => {
    h.services.settings.patch({ eventRetentionCount: 100, eventRetentionDays: 1 }, 'admin');
    for (let i = 0; i < 150; i++) h.services.settings.patch({ commandTtlSeconds: 60 + i }, 'admin');
    expect(count('events')).toBeGreaterThan(150);
    await h.services.prune();
    expect(count('events')).toBe(100);
    // the newest are kept
    expect(h.services.events.list({ limit: 1 })[0]!.message).toContain('commandTtlSeconds');
    h.clock.advance(2 * 86_400_000);
    h.services.settings.patch({ commandTtlSeconds: 3600 }, 'admin');
    await h.services.prune();
    expect(count('events')).toBe(1);
  });

  it('prunes finished commands by age and count, never open ones', async () => {
    registerDevice(h, 'aa:bb:cc:00:00:01');
    h.services.settings.patch({ commandRetentionCount: 10, commandRetentionDays: 1 }, 'admin');
    for (let i = 0; i < 30; i++) {
      const cmd = h.services.commands.enqueue('aa:bb:cc:00:00:01', { name: 'identify', args: {}, ttlSeconds: 60 }, 'admin');
      if (i < 25) h.services.commands.cancel(cmd.id, 'admin');
    }
    await h.services.prune();
    const states = h.db.prepare('SELECT state, count(*) AS n FROM commands GROUP BY state').all() as { state: string; n: number }[];
    const open = states.filter((s) => s.state === 'queued').reduce((a, s) => a + s.n, 0);
    expect(open).toBe(5);
    expect(count('commands')).toBe(15);
    h.clock.advance(2 * 86_400_000);
    await h.services.prune();
    expect(count('commands')).toBe(5);
  });

  it('collapses repeated same-kind events of one device into one entry with a count', () => {
    const token = registerDevice(h, 'aa:bb:cc:00:00:02');
    for (let i = 0; i < 40; i++) {
      h.services.protocol.checkin('aa:bb:cc:00:00:02', token, { cfgsn: i % 2 === 0 ? 1 : 0 }, '10.0.0.2');
      h.clock.advance(100);
    }
    const applied = h.services.events.list({ deviceId: 'aa:bb:cc:00:00:02', kind: 'config_applied', limit: 50 });
    expect(applied).toHaveLength(1);
    expect(applied[0]!.count).toBe(20);
    // after the collapse window a new entry starts
    h.clock.advance(120_000);
    h.services.protocol.checkin('aa:bb:cc:00:00:02', token, { cfgsn: 0 }, '10.0.0.2');
    h.services.protocol.checkin('aa:bb:cc:00:00:02', token, { cfgsn: 1 }, '10.0.0.2');
    expect(h.services.events.list({ deviceId: 'aa:bb:cc:00:00:02', kind: 'config_applied', limit: 50 })).toHaveLength(2);
  });
});
