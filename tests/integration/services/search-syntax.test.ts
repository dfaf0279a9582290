import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareVersions, parseSearch } from '../../../src/shared/search-syntax';
import { type Harness, macOf, makeHarness } from '../../unit/core/fixture';

describe('search syntax parser', () => {
  it('splits prefixes from free text; MACs stay text; unknown prefixes say so', () => {
    expect(parseSearch('tag:battery profile:"green house" status:offline fw:<1.2 kitchen')).toMatchObject({
      text: 'kitchen', tags: ['battery'], profiles: ['green house'], statuses: ['offline'], fw: [{ op: '<', version: '1.2' }], errors: [],
    });
    expect(parseSearch('aa:bb:cc')).toMatchObject({ text: 'aa:bb:cc', errors: [] });
    expect(parseSearch('colour:red').errors[0]).toMatch(/Unknown filter “colour:”. Known: tag: profile: status: fw: location:/);
    expect(parseSearch('status:asleep').errors[0]).toMatch(/Unknown status “asleep”/);
    expect(compareVersions('1.10.0', '1.9')).toBe(1);
    expect(compareVersions('1.2', '1.2.0')).toBe(0);
  });
});

let h: Harness;
const ids = [0, 1, 2, 3].map(macOf);
beforeEach(() => {
  h = makeHarness({ memory: true });
  const versions = ['1.1.9', '1.2.0', '1.10.0', null];
  ids.forEach((id, i) => {
    const fw = versions[i] ? { name: 'probe', version: versions[i], md5: '0'.repeat(32) } : undefined;
    h.services.protocol.register(id, fw ? { fw } : {}, null, 'x');
  });
});
afterEach(() => h.close());

const q = (text: string) => h.services.devices.list({ q: text, sort: 'id', order: 'asc', offset: 0, limit: 50 }).items.map((d) => d.id);

describe('search syntax in the list query', () => {
  it('filters by tag, profile, location and firmware version on the server', () => {
    const p = h.services.profiles.create({ name: 'Greenhouse', description: '', defaults: {} }, 'admin');
    h.services.devices.patch(ids[0]!, { tags: ['battery', 'roof'], profileId: p.id, location: 'North wall' }, 'admin');
    h.services.devices.patch(ids[1]!, { tags: ['battery'], name: 'kitchen' }, 'admin');
    expect(q('tag:battery')).toEqual([ids[0], ids[1]]);
    expect(q('tag:battery tag:roof')).toEqual([ids[0]]);
    expect(q('profile:greenhouse')).toEqual([ids[0]]);
    expect(q('location:north')).toEqual([ids[0]]);
    expect(q('fw:<1.2')).toEqual([ids[0]]);
    expect(q('fw:>=1.2 fw:<2')).toEqual([ids[1], ids[2]]);
    expect(q('tag:battery kitchen')).toEqual([ids[1]]);
    expect(q('status:online')).toHaveLength(4);
    expect(() => q('colour:red')).toThrow(/Unknown filter/);
    // bulk "all matching" resolves the same syntax
    expect(h.services.devices.bulk({ target: { filter: { q: 'tag:battery' } }, op: { action: 'addTags', tags: ['x'] } }, 'admin').affected).toBe(2);
  });
});
