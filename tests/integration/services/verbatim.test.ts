import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, makeHarness } from '../../unit/core/fixture';

const NASTY = [
  `it's "quoted"`,
  'back\\slash \\\\ \\n',
  "'; DROP TABLE devices; --",
  '" OR 1=1 --',
  'Grüße, 東京, émoji 🛰️, ¿qué?',
  '%_wild%_',
];

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.close());

describe('strings are stored and returned verbatim', () => {
  for (const [i, s] of NASTY.entries()) {
    it(`round-trips ${JSON.stringify(s)} through every string field, across a restart`, async () => {
      const id = `aa:bb:cc:00:00:0${i}`;
      const { reply } = h.services.protocol.register(id, { ip: s.slice(0, 45), ssid: s, fw: { name: s, version: s } }, null, 'x');
      h.services.protocol.checkin(id, reply.token!, { ssid: s, fw: { version: s } }, 'x');
      const profile = h.services.profiles.create({ name: s, description: s, defaults: { [s]: s } }, s);
      h.services.devices.patch(id, { name: s, location: s, notes: s, tags: [s], profileId: profile.id }, s);
      h.services.config.setDeviceOverrides(id, { [s]: { nested: [s] }, plain: s }, s, s);
      h.services.commands.enqueue(id, { name: 'custom', args: { [s]: s }, ttlSeconds: 60 }, s);
      const fw = await h.services.firmware.upload({ name: s, version: s, notes: s }, Readable.from([Buffer.from('x')]), s);
      h.services.protocol.legacyRegister(`legacy-${i}`, { ipaddr: s.slice(0, 45), ssid: s }, 'x');
      h.restart();

      const detail = h.services.devices.get(id);
      expect(detail).toMatchObject({ name: s, location: s, notes: s, tags: [s], ip: s.slice(0, 45), ssid: s, fwName: s, fwVersion: s, profileName: s });
      expect(h.services.config.forDevice(id).effective).toEqual({ [s]: { nested: [s] }, plain: s });
      expect(h.services.config.history({ deviceId: id })[0]).toMatchObject({ author: s, reason: s });
      expect(h.services.profiles.get(profile.id)).toMatchObject({ name: s, description: s, defaults: { [s]: s } });
      expect(h.services.commands.list(id)[0]).toMatchObject({ args: { [s]: s }, author: s });
      expect(h.services.firmware.list()[0]).toMatchObject({ id: fw.id, name: s, version: s, notes: s });
      expect(h.services.protocol.legacyRegister(`legacy-${i}`, {}, 'x')).toMatchObject({ ssid: s });
      // and the list search treats it as text, not as SQL or LIKE wildcards
      const found = h.services.devices.list({ q: s, sort: 'name', order: 'asc', offset: 0, limit: 100 });
      expect(found.items.map((d) => d.id)).toContain(id);
      expect(h.services.devices.list({ tag: s, sort: 'name', order: 'asc', offset: 0, limit: 100 }).items.map((d) => d.id)).toEqual([id]);
      expect(h.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'devices'").pluck().get()).toBe(1);
    });
  }

  it('LIKE wildcards in a search match only themselves', () => {
    h.services.protocol.register('aa:bb:cc:00:00:01', {}, null, 'x');
    h.services.protocol.register('aa:bb:cc:00:00:02', {}, null, 'x');
    h.services.devices.patch('aa:bb:cc:00:00:01', { name: '100% sure' }, 'admin');
    h.services.devices.patch('aa:bb:cc:00:00:02', { name: '1000 sure' }, 'admin');
    const q = (text: string) => h.services.devices.list({ q: text, sort: 'name', order: 'asc', offset: 0, limit: 10 }).items.map((d) => d.name);
    expect(q('0%')).toEqual(['100% sure']);
    expect(q('0_')).toEqual([]);
  });
});
