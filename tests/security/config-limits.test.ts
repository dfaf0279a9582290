/** Config depth and size are bounded: too deep or too big is a 400 that says so, and nothing is stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_MAX_BYTES, CONFIG_MAX_DEPTH } from '../../src/shared/api';
import { registerDevice, startTestFleet, type TestFleet } from '../helpers/fleet';

let t: TestFleet;
const MAC = 'aa:bb:cc:00:0c:01';
beforeAll(async () => {
  t = await startTestFleet();
  await registerDevice(t, MAC);
});
afterAll(() => t.dispose());

/** {"k":{"k":…{"k":1}}} with `depth` objects, the outermost included. */
function nested(depth: number): string {
  return `${'{"k":'.repeat(depth - 1)}{"k":1}${'}'.repeat(depth - 1)}`;
}
const put = (overridesJson: string) =>
  t.admin(`/api/devices/${MAC}/config`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: `{"overrides":${overridesJson}}` });

describe('config limits', () => {
  it('accepts a config at the depth limit', async () => {
    expect((await put(nested(CONFIG_MAX_DEPTH))).status).toBe(200);
  });

  for (const depth of [CONFIG_MAX_DEPTH + 1, 1000, 2000, 20_000]) {
    it(`refuses depth ${depth} with a 400 naming the limit, storing nothing`, async () => {
      const before = (await t.admin(`/api/devices/${MAC}/config`)).json;
      const res = await put(nested(depth));
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
      expect(JSON.stringify(res.json.error)).toMatch(new RegExp(`nested deeper than ${CONFIG_MAX_DEPTH}|deeper than \\d+ levels`));
      expect((await t.admin(`/api/devices/${MAC}/config`)).json).toEqual(before);
    });
  }

  it('refuses a config over the size limit, naming it', async () => {
    const res = await put(JSON.stringify({ big: 'x'.repeat(CONFIG_MAX_BYTES) }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.error)).toContain(`${CONFIG_MAX_BYTES} bytes`);
  });

  it('applies to profile defaults and bulk values too', async () => {
    const profile = await t.admin('/api/profiles', { body: { name: 'p', defaults: JSON.parse(nested(CONFIG_MAX_DEPTH + 1)) } });
    expect(profile.status).toBe(400);
    const bulk = await t.admin('/api/devices/bulk', {
      body: { target: { ids: [MAC] }, op: { action: 'setConfigKey', key: 'k', value: JSON.parse(nested(CONFIG_MAX_DEPTH)) } },
    });
    expect(bulk.status).toBe(400);
  });
});
