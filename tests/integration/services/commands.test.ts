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

const checkin = (body: Parameters<Harness['services']['protocol']['checkin']>[2] = { cfgsn: 1 }) => h.services.protocol.checkin(D, token, body, 'x');
const states = () => h.services.commands.list(D).map((c) => [c.id, c.state]);

describe('commands', () => {
  it('queued → delivered (in a reply) → acked/failed (acks in a check-in), redelivered until acked', () => {
    const identify = h.services.commands.enqueue(D, { name: 'identify', args: { seconds: 5 }, ttlSeconds: 60 }, 'admin');
    const custom = h.services.commands.enqueue(D, { name: 'set.mode', args: { mode: "it's \"on\"" }, ttlSeconds: 60 }, 'admin');
    expect(identify).toMatchObject({ state: 'queued', deviceId: D, author: 'admin', expiresAt: h.clock.now() + 60_000 });
    expect(states()).toEqual([[custom.id, 'queued'], [identify.id, 'queued']]);

    expect(checkin().commands).toEqual([
      { id: identify.id, name: 'identify', args: { seconds: 5 } },
      { id: custom.id, name: 'set.mode', args: { mode: "it's \"on\"" } },
    ]);
    expect(states()).toEqual([[custom.id, 'delivered'], [identify.id, 'delivered']]);
    // not acked yet: delivered again
    expect(checkin().commands.map((c) => c.id)).toEqual([identify.id, custom.id]);

    const reply = checkin({ cfgsn: 1, acks: [{ id: identify.id, ok: true, result: 'blinked' }, { id: custom.id, ok: false, result: 'unknown' }] });
    expect(reply.commands).toEqual([]);
    const [c2, c1] = h.services.commands.list(D);
    expect(c1).toMatchObject({ state: 'acked', result: 'blinked', completedAt: h.clock.now() });
    expect(c2).toMatchObject({ state: 'failed', result: 'unknown' });
    // a repeated ack changes nothing
    checkin({ cfgsn: 1, acks: [{ id: identify.id, ok: false }] });
    expect(h.services.commands.list(D)[1]).toMatchObject({ state: 'acked' });
    const kinds = h.services.events.list({ limit: 50 }).map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith('command_'))).toEqual(['command_failed', 'command_acked', 'command_queued', 'command_queued']);
  });

  it('acks for commands of another device are ignored', () => {
    const otherToken = registerDevice(h, 'aa:bb:cc:00:00:02');
    const c = h.services.commands.enqueue(D, { name: 'reboot', args: {}, ttlSeconds: 60 }, 'admin');
    h.services.protocol.checkin('aa:bb:cc:00:00:02', otherToken, { acks: [{ id: c.id, ok: true }] }, 'x');
    expect(h.services.commands.list(D)[0]!.state).toBe('queued');
  });

  it('expire by the timer with the injected clock, delivered or not, and are not sent any more', () => {
    const delivered = h.services.commands.enqueue(D, { name: 'a', args: {}, ttlSeconds: 10 }, 'admin');
    checkin();
    const queued = h.services.commands.enqueue(D, { name: 'b', args: {}, ttlSeconds: 10 }, 'admin');
    const later = h.services.commands.enqueue(D, { name: 'c', args: {}, ttlSeconds: 100 }, 'admin');
    h.clock.advance(10_000);
    expect(checkin().commands.map((c) => c.id)).toEqual([later.id]); // expired ones are not handed out
    h.services.tick();
    expect(states()).toEqual([[later.id, 'delivered'], [queued.id, 'expired'], [delivered.id, 'expired']]);
    expect(h.services.events.list({ limit: 50, kind: 'command_expired' })).toHaveLength(2);
    h.services.tick();
    expect(h.services.events.list({ limit: 50, kind: 'command_expired' })).toHaveLength(2);
  });

  it('cancel closes an open command; cancelling a closed one is a conflict', () => {
    const c = h.services.commands.enqueue(D, { name: 'reboot', args: {}, ttlSeconds: 60 }, 'admin');
    expect(h.services.commands.cancel(c.id, 'admin')).toMatchObject({ state: 'failed', result: { cancelledBy: 'admin' } });
    expect(checkin().commands).toEqual([]);
    expect(() => h.services.commands.cancel(c.id, 'admin')).toThrow(/already failed/);
    expect(() => h.services.commands.cancel(424242, 'admin')).toThrow(/no command/);
  });

  it('open commands survive a restart and are delivered afterwards', () => {
    const c = h.services.commands.enqueue(D, { name: 'reboot', args: {}, ttlSeconds: 60 }, 'admin');
    checkin();
    h.restart();
    expect(checkin().commands).toEqual([{ id: c.id, name: 'reboot', args: {} }]);
    checkin({ acks: [{ id: c.id, ok: true }] });
    h.restart();
    expect(checkin().commands).toEqual([]);
    expect(h.services.commands.list(D)[0]!.state).toBe('acked');
  });

  it('enqueue wakes the device long-poll and emits a command delta', async () => {
    const wait = h.services.protocol.waitForChange(D, 10_000, new AbortController().signal);
    h.services.commands.enqueue(D, { name: 'identify', args: {}, ttlSeconds: 60 }, 'admin');
    await wait;
    expect(h.deltas.some((d) => d.type === 'command' && d.command.name === 'identify')).toBe(true);
  });
});
