/** Settings that contradict themselves are refused with a 400 naming the field; the preview says who would move. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

describe('settings validation across fields, and the preview of a change', () => {
  let t: TestFleet;
  let now = Date.now();
  beforeAll(async () => {
    t = await startTestFleet({ clock: { now: () => now } });
    await registerDevice(t, 'aa:bb:cc:00:05:01');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const patch = (body: unknown) => t.admin('/api/settings', { method: 'PATCH', body });
  const refused = async (body: unknown, field: string) => {
    const before = (await t.admin('/api/settings')).json;
    const res = await patch(body);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('bad_request');
    expect(JSON.stringify(res.json.error.details ?? res.json.error.message), res.text).toContain(field);
    expect((await t.admin('/api/settings')).json).toEqual(before);
  };

  it('refuses nonsense instead of bending it', async () => {
    await refused({ thresholds: { lateFactor: 3, offlineFactor: 2, graceSeconds: 10 } }, 'offlineFactor');
    await refused({ thresholds: { lateFactor: 2, offlineFactor: 2, graceSeconds: 10 } }, 'offlineFactor');
    await refused({ registrationPolicy: 'key', enrollmentKey: '' }, 'enrollmentKey');
    await refused({ registrationPolicy: 'key' }, 'enrollmentKey'); // the stored key is empty
    await refused({ devicePort: 80 }, 'devicePort');
    await refused({ defaultCheckinInterval: 2 }, 'defaultCheckinInterval');
    await refused({ thresholds: { lateFactor: 1.5, offlineFactor: 3, graceSeconds: -4 } }, 'graceSeconds');
    await refused({ mdnsName: 'Gewächshaus-Steuerung für die Bewässerung der südlichen Beete' }, 'mdnsName'); // 60 chars, 63+ bytes
  });

  it('accepts the same changes when they are consistent', async () => {
    expect((await patch({ registrationPolicy: 'key', enrollmentKey: 'k3y' })).status).toBe(200);
    expect((await patch({ registrationPolicy: 'open', devicePort: 8080, mdnsName: 'Gewächshaus' })).status).toBe(200);
  });

  it('preview: counts the devices a change would move, saves nothing', async () => {
    const none = await t.admin('/api/settings/preview', { method: 'POST', body: { defaultCheckinInterval: 60 } });
    expect(none.json).toEqual({ changes: 0, moves: [] });
    // silent for 60 s: online or late with a 30 s interval; offline with 5 s, factors 1 and 1.01, no grace
    now += 60_000;
    const tight = await t.admin('/api/settings/preview', { method: 'POST', body: { defaultCheckinInterval: 5, thresholds: { lateFactor: 1, offlineFactor: 1.01, graceSeconds: 0 } } });
    expect(tight.status, tight.text).toBe(200);
    expect(tight.json.changes).toBe(1);
    expect(tight.json.moves).toEqual([{ from: expect.stringMatching(/online|late/), to: 'offline', count: 1 }]);
    expect((await t.admin('/api/settings')).json.defaultCheckinInterval).not.toBe(5);
    const bad = await t.admin('/api/settings/preview', { method: 'POST', body: { thresholds: { lateFactor: 3, offlineFactor: 2, graceSeconds: 0 } } });
    expect(bad.status).toBe(400);
  });
});
