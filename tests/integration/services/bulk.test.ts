import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, macOf, makeHarness } from '../../unit/core/fixture';

let h: Harness;
const ids = [0, 1, 2, 3].map(macOf);
beforeEach(() => {
  h = makeHarness({ memory: true }); // the services on ':memory:' too
  h.services.settings.patch({ registrationPolicy: 'approve' }, 'admin');
  for (const id of ids) h.services.protocol.register(id, {}, null, 'x');
});
afterEach(() => h.close());

const bulk = (target: object, op: object) => h.services.devices.bulk({ target, op } as never, 'admin');

describe('bulk actions', () => {
  it('approve by ids skips unknown ids and devices it does not apply to', () => {
    h.services.devices.approve(ids[0]!, 'admin');
    expect(bulk({ ids: [...ids, 'aa:aa:aa:aa:aa:aa', 'bad id!'] }, { action: 'approve' })).toEqual({ affected: 3, ids: ids.slice(1) });
    expect(h.services.devices.list({ sort: 'id', order: 'asc', offset: 0, limit: 10 }).counts.pending).toBe(0);
  });

  it('by filter: tags, config keys, profile, commands, block and delete', () => {
    bulk({ ids }, { action: 'approve' });
    h.services.devices.patch(ids[0]!, { location: 'Roof' }, 'admin');
    h.services.devices.patch(ids[1]!, { location: 'Roof' }, 'admin');
    const roof = { filter: { q: 'roof' } };
    expect(bulk(roof, { action: 'addTags', tags: ['solar', 'x'] }).affected).toBe(2);
    expect(bulk(roof, { action: 'removeTags', tags: ['x'] }).affected).toBe(2);
    expect(h.services.devices.get(ids[0]!).tags).toEqual(['solar']);
    expect(bulk({ filter: { tag: 'solar' } }, { action: 'setConfigKey', key: 'panel', value: { w: 300 } }).affected).toBe(2);
    expect(bulk({ filter: { tag: 'solar' } }, { action: 'setConfigKey', key: 'panel', value: { w: 300 } }).affected).toBe(0);
    expect(h.services.config.forDevice(ids[1]!)).toMatchObject({ effective: { panel: { w: 300 } }, cfgsn: 2 });
    expect(bulk({ ids }, { action: 'removeConfigKey', key: 'panel' }).affected).toBe(2);
    const p = h.services.profiles.create({ name: 'solar', description: '', defaults: { v: 1 } }, 'admin');
    expect(bulk(roof, { action: 'setProfile', profileId: p.id }).affected).toBe(2);
    expect(h.services.profiles.get(p.id).deviceCount).toBe(2);
    expect(bulk(roof, { action: 'command', name: 'identify', args: { seconds: 3 } }).affected).toBe(2);
    expect(h.services.commands.list(ids[0]!)[0]).toMatchObject({ name: 'identify', args: { seconds: 3 }, state: 'queued' });
    expect(bulk(roof, { action: 'block' }).affected).toBe(2);
    expect(bulk({ filter: { status: ['blocked'] } }, { action: 'delete' }).affected).toBe(2);
    expect(h.services.devices.list({ sort: 'id', order: 'asc', offset: 0, limit: 10 }).total).toBe(2);
  });

  it('runs in one transaction: a failing item leaves nothing done', () => {
    bulk({ ids }, { action: 'approve' });
    // a trigger makes the third device's revision insert fail half-way through the bulk
    h.db.exec(`CREATE TRIGGER fail_third BEFORE INSERT ON config_revisions WHEN NEW.target_id = '${ids[2]}'
               BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    expect(() => bulk({ ids }, { action: 'setConfigKey', key: 'k', value: 1 })).toThrow(/boom/);
    h.db.exec('DROP TRIGGER fail_third');
    for (const id of ids) expect(h.services.config.forDevice(id)).toMatchObject({ overrides: {}, cfgsn: 1 });
    expect(h.db.prepare('SELECT count(*) FROM config_revisions').pluck().get()).toBe(0);
  });
});
