/** Long-poll behaviour: fan-out wake-up on a profile change, clients that go away, wait bounds. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, untilParked, type TestFleet } from '../../helpers/fleet';

const DEVICES = 20;
const idOf = (i: number) => `aa:bb:cc:00:0b:${String(i).padStart(2, '0')}`;

describe('long-poll', () => {
  let t: TestFleet;
  const tokens: string[] = [];
  let profileId: number;
  beforeAll(async () => {
    t = await startTestFleet();
    profileId = (await t.admin('/api/profiles', { body: { name: 'Fan-out' } })).json.id;
    for (let i = 0; i < DEVICES; i++) {
      tokens.push(await registerDevice(t, idOf(i)));
      await t.admin(`/api/devices/${idOf(i)}`, { method: 'PATCH', body: { profileId } });
    }
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const checkin = (i: number, body: Record<string, unknown>, query = '', signal?: AbortSignal) =>
    t.device(`/api/v1/devices/${idOf(i)}/checkin${query}`, { headers: bearer(tokens[i]!), body, signal });

  it('wakes every device of a profile when its defaults change, without listener-leak warnings', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const cfgsns: number[] = [];
    for (let i = 0; i < DEVICES; i++) cfgsns.push((await checkin(i, { cfgsn: 0 })).json.cfgsn);
    const held = cfgsns.map((cfgsn, i) => checkin(i, { cfgsn }, '?wait=15'));
    await untilParked(t, DEVICES);
    const put = await t.admin(`/api/profiles/${profileId}/config`, { method: 'PUT', body: { defaults: { colour: 'blue' } } });
    expect(put.status).toBe(200);
    expect(t.fleet.services.protocol.parkedCount()).toBe(0); // all woken by the commit itself
    const changedAt = Date.now();
    const replies = await Promise.all(held);
    expect(Date.now() - changedAt).toBeLessThan(5_000); // held for 15 s unless woken
    replies.forEach((reply, i) => {
      expect(reply.status).toBe(200);
      expect(reply.json.config).toEqual({ colour: 'blue' });
      expect(reply.json.cfgsn).toBeGreaterThan(cfgsns[i]!);
    });
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    process.off('warning', onWarning);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('survives clients that hang up mid-poll, and wakes the next poll normally', async () => {
    const synced = (await checkin(0, { cfgsn: 0 })).json.cfgsn as number;
    const controllers = [1, 2, 3].map(() => new AbortController());
    const abandoned = controllers.map((c) => checkin(0, { cfgsn: synced }, '?wait=30', c.signal).catch((err: Error) => err));
    await untilParked(t, 3, idOf(0));
    for (const c of controllers) c.abort();
    for (const result of await Promise.all(abandoned)) expect(result).toBeInstanceOf(Error);
    await untilParked(t, 0, idOf(0)); // the server notices the hang-ups and lets go of each poll

    const held = checkin(0, { cfgsn: synced }, '?wait=15');
    await untilParked(t, 1, idOf(0));
    await t.admin(`/api/devices/${idOf(0)}/commands`, { body: { name: 'identify', args: { seconds: 1 } } });
    expect(t.fleet.services.protocol.parkedCount(idOf(0))).toBe(0);
    const reply = await held;
    expect(reply.json.commands.map((c: { name: string }) => c.name)).toEqual(['identify']);
  });

  it('clamps wait to 60 s and answers at once when there is something to do', async () => {
    const started = Date.now();
    const reply = await checkin(1, { cfgsn: 0 }, '?wait=3600');
    expect(reply.status).toBe(200);
    expect(reply.json.config).toBeDefined(); // behind → answered at once despite the wait
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
