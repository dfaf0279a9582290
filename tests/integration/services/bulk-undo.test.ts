import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, macOf, makeHarness } from '../../unit/core/fixture';

let h: Harness;
const ids = [0, 1, 2].map(macOf);
beforeEach(() => {
  h = makeHarness({ memory: true });
  for (const id of ids) h.services.protocol.register(id, {}, null, 'x');
});
afterEach(() => h.close());

const bulk = (op: object, target: object = { ids }) => h.services.devices.bulk({ target, op } as never, 'admin');
const overrides = (id: string) => h.services.config.forDevice(id).overrides;

describe('bulk config keys and undo', () => {
  it('a dotted key sets the path inside the object, keeping its other members', () => {
    const p = h.services.profiles.create({ name: 'mq', description: '', defaults: { mqtt: { host: 'broker', port: 1883 } } }, 'admin');
    h.services.devices.patch(ids[0]!, { profileId: p.id }, 'admin');
    expect(bulk({ action: 'setConfigKey', key: 'mqtt.port', value: 1884 }).affected).toBe(3);
    expect(overrides(ids[0]!)).toEqual({ mqtt: { host: 'broker', port: 1884 } }); // from the profile default
    expect(overrides(ids[1]!)).toEqual({ mqtt: { port: 1884 } });
    expect(overrides(ids[1]!)).not.toHaveProperty(['mqtt.port']);
    // a path through a non-object is not overwritten
    h.services.config.setDeviceOverrides(ids[2]!, { mqtt: 'off' }, 'admin');
    expect(bulk({ action: 'setConfigKey', key: 'mqtt.port', value: 1 }, { ids: [ids[2]!] }).affected).toBe(0);
    expect(() => bulk({ action: 'setConfigKey', key: 'mqtt..port', value: 1 })).toThrow(/not a usable key/);
    // remove the nested member from the overrides only
    expect(bulk({ action: 'removeConfigKey', key: 'mqtt.port' }, { ids: [ids[1]!] }).affected).toBe(1);
    expect(overrides(ids[1]!)).toEqual({ mqtt: {} });
  });

  it('undo restores the previous revisions, and skips devices changed since', () => {
    h.services.config.setDeviceOverrides(ids[0]!, { rate: 5 }, 'admin');
    const result = bulk({ action: 'setConfigKey', key: 'rate', value: 10 });
    expect(result.undo?.revisions).toHaveLength(3);
    h.services.config.setDeviceOverrides(ids[2]!, { rate: 99 }, 'admin'); // changed after the bulk action
    const undone = h.services.devices.undoBulk(result.undo!, 'admin');
    expect(undone).toEqual({ restored: 2, skipped: [ids[2]] });
    expect(overrides(ids[0]!)).toEqual({ rate: 5 });
    expect(overrides(ids[1]!)).toEqual({});
    expect(overrides(ids[2]!)).toEqual({ rate: 99 });
    expect(h.services.config.history({ deviceId: ids[0]! })[0]!.reason).toMatch(/^undo of #/);
  });

  it('undo puts profiles and tags back', () => {
    const a = h.services.profiles.create({ name: 'a', description: '', defaults: {} }, 'admin');
    const b = h.services.profiles.create({ name: 'b', description: '', defaults: {} }, 'admin');
    h.services.devices.patch(ids[0]!, { profileId: a.id, tags: ['keep'] }, 'admin');
    const moved = bulk({ action: 'setProfile', profileId: b.id });
    const tagged = bulk({ action: 'addTags', tags: ['keep', 'new'] });
    expect(h.services.devices.undoBulk(tagged.undo!, 'admin').restored).toBe(3);
    expect(h.services.devices.get(ids[0]!).tags).toEqual(['keep']); // it had "keep" before
    expect(h.services.devices.get(ids[1]!).tags).toEqual([]);
    expect(h.services.devices.undoBulk(moved.undo!, 'admin')).toEqual({ restored: 3, skipped: [] });
    expect(h.services.devices.get(ids[0]!).profileId).toBe(a.id);
    expect(h.services.devices.get(ids[1]!).profileId).toBeNull();
    expect(bulk({ action: 'approve' }).undo).toBeUndefined();
  });
});
