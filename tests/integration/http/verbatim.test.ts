/**
 * Quotes, backslashes, SQL metacharacters and non-ASCII in every string field are stored and returned
 * verbatim (and the devices table survives `'; DROP TABLE devices; --`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestFleet, type TestFleet } from '../../helpers/fleet';

const NASTY = [
  `'; DROP TABLE devices; --`,
  `"quoted" and 'single'`,
  `back\\slash \\" \\\\ end\\`,
  `Ünïcödé — 日本語 ✓ 🚀`,
  `% _ * ? [x] {y} $z \`cmd\` <b>&amp;</b>`,
];
// ip fields are short (≤ 45) but still free text on the wire
const SHORT = NASTY.map((s) => s.slice(0, 40));

describe('strings are stored and returned verbatim', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  NASTY.forEach((nasty, i) => {
    it(`#${i}: ${nasty}`, async () => {
      const id = `aa:bb:cc:dd:00:${String(i).padStart(2, '0')}`;
      const reg = await t.device(`/api/v1/devices/${id}/register`, {
        body: { ip: SHORT[i], ssid: nasty, fw: { name: nasty, version: nasty }, chip: { id: SHORT[i]!.slice(0, 32), flash: 1 } },
      });
      expect(reg.status).toBe(201);
      const token = reg.json.token as string;
      let detail = (await t.admin(`/api/devices/${id}`)).json;
      expect(detail).toMatchObject({ ip: SHORT[i], ssid: nasty, fwName: nasty, fwVersion: nasty, chipId: SHORT[i]!.slice(0, 32) });

      const patch = await t.admin(`/api/devices/${id}`, { method: 'PATCH', body: { name: nasty, location: nasty, notes: nasty, tags: [nasty.trim().slice(0, 64)] } });
      expect(patch.status, patch.text).toBe(200);
      const config = { [nasty]: nasty, nested: { [nasty]: [nasty, 1, true, null] } };
      const put = await t.admin(`/api/devices/${id}/config`, { method: 'PUT', body: { overrides: config } });
      expect(put.status, put.text).toBe(200);
      const cmd = await t.admin(`/api/devices/${id}/commands`, { body: { name: 'custom_1', args: { text: nasty } } });
      expect(cmd.status).toBe(201);

      const checkin = await t.device(`/api/v1/devices/${id}/checkin`, {
        headers: bearer(token),
        body: { cfgsn: 0, ip: SHORT[i], ssid: nasty, fw: { version: nasty } },
      });
      expect(checkin.json.config).toEqual(config);
      expect(checkin.json.commands[0].args).toEqual({ text: nasty });
      const ack = await t.device(`/api/v1/devices/${id}/checkin`, {
        headers: bearer(token),
        body: { cfgsn: checkin.json.cfgsn, acks: [{ id: cmd.json.id, ok: true, result: nasty }] },
      });
      expect(ack.status).toBe(200);

      detail = (await t.admin(`/api/devices/${id}`)).json;
      expect(detail).toMatchObject({ name: nasty, location: nasty, notes: nasty, tags: [nasty.trim().slice(0, 64)], ssid: nasty, fwVersion: nasty });
      expect((await t.admin(`/api/devices/${id}/config`)).json.overrides).toEqual(config);
      const commands = (await t.admin(`/api/devices/${id}/commands`)).json;
      expect(commands[0]).toMatchObject({ state: 'acked', result: nasty, args: { text: nasty } });

      const found = await t.admin(`/api/devices?q=${encodeURIComponent(nasty)}`);
      expect(found.json.items.map((d: { id: string }) => d.id)).toContain(id);

      const profile = await t.admin('/api/profiles', { body: { name: `${i} ${nasty}`.slice(0, 64), description: nasty, defaults: { [nasty]: nasty } } });
      expect(profile.status, profile.text).toBe(201);
      expect(profile.json).toMatchObject({ name: `${i} ${nasty}`.slice(0, 64).trim(), description: nasty, defaults: { [nasty]: nasty } });

      const fw = await t.admin(`/api/firmware?name=${encodeURIComponent(nasty.slice(0, 64))}&version=${encodeURIComponent(`${i}${nasty}`.slice(0, 64))}&notes=${encodeURIComponent(nasty)}`, {
        method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from(nasty),
      });
      expect(fw.status, fw.text).toBe(201);
      expect(fw.json).toMatchObject({ name: nasty.slice(0, 64).trim(), version: `${i}${nasty}`.slice(0, 64).trim(), notes: nasty });

      const legacyId = `legacy-${i}`;
      const legacy = await t.device(`/api/devices/${legacyId}`, { body: { ipaddr: SHORT[i], ssid: nasty } });
      expect(legacy.json).toMatchObject({ status: 'OK', ipaddr: SHORT[i], ssid: nasty });

      const settings = await t.admin('/api/settings', { method: 'PATCH', body: { enrollmentKey: nasty, mdnsName: nasty.slice(0, 63) } });
      expect(settings.json).toMatchObject({ enrollmentKey: nasty, mdnsName: nasty.slice(0, 63) });
    });
  });

  it('the devices table is still there', async () => {
    const list = await t.admin('/api/devices?limit=100');
    expect(list.json.total).toBe(NASTY.length * 2);
  });
});
