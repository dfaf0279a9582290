/**
 * Device export and import: the preview says row by row what would happen and writes nothing;
 * the import pre-registers new MACs, which are admitted on first contact under `approve` with
 * their name and config; the export reads back in unchanged; replacing a device moves its identity.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

let t: TestFleet;
afterEach(async () => {
  await t?.dispose();
});

const csv = (text: string) => ({ headers: { 'Content-Type': 'text/csv' }, body: text });

describe('profiles export', () => {
  it('downloads every profile with its defaults, each entry a valid body to create it again', async () => {
    t = await startTestFleet();
    await t.admin('/api/profiles', { body: { name: 'Thermo', description: 'wall thermostats', defaults: { unit: 'C', mqtt: { port: 1883 } } } });
    await t.admin('/api/profiles', { body: { name: "O'Brien \"pump\"" } });
    const out = await t.admin('/api/profiles/export');
    expect(out.status).toBe(200);
    expect(out.headers['content-disposition']).toMatch(/^attachment; filename="fleetdesk-profiles-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(out.json).toEqual([
      { name: 'Thermo', description: 'wall thermostats', defaults: { unit: 'C', mqtt: { port: 1883 } } },
      { name: "O'Brien \"pump\"", description: '', defaults: {} },
    ]);
    await t.admin('/api/profiles/1', { method: 'DELETE' });
    const again = await t.admin('/api/profiles', { body: out.json[0] });
    expect(again.status).toBe(201);
  });
});

describe('device import and export', () => {
  it('previews row by row, imports, and admits a pre-registered MAC under approve with its name and config', async () => {
    t = await startTestFleet();
    await t.admin('/api/settings', { method: 'PATCH', body: { registrationPolicy: 'approve' } });
    await t.admin('/api/profiles', { body: { name: 'Thermo', defaults: { unit: 'C' } } });
    const known = 'dd:00:00:00:00:09';
    await registerDevice(t, known);
    const file = [
      'mac,name,location,tags,profile,config',
      'DD-00-00-00-00-01,"Pump ""north""",Hall A,water;pumps,thermo,"{""relay"":1}"',
      'dd:00:00:00:00:02,Fan,Roof,,,',
      'not-a-mac!,Broken,,,,',
      'dd:00:00:00:00:03,Heater,,,NoSuchProfile,',
      'dd:00:00:00:00:02,Fan again,,,,',
      `${known},Known one,Cellar,,,`,
      "dd:00:00:00:00:04,'=cmd(),,,,{not json",
    ].join('\r\n');
    const preview = await t.admin('/api/devices/import?dryRun=1', csv(file));
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ dryRun: true, created: 2, updated: 1, skipped: 4 });
    const outcomes = preview.json.rows.map((r: { row: number; outcome: string; reason: string }) => `${r.row} ${r.outcome} ${r.reason}`);
    expect(outcomes[2]).toMatch(/^3 skip .*not a MAC address/);
    expect(outcomes[3]).toMatch(/^4 skip unknown profile "NoSuchProfile"/);
    expect(outcomes[4]).toMatch(/^5 skip same MAC as row 2/);
    expect(outcomes[5]).toMatch(/^6 update device: name, location/);
    expect(outcomes[6]).toMatch(/^7 skip config is not valid JSON/);
    expect((await t.admin('/api/preregistrations')).json).toEqual([]);

    const done = await t.admin('/api/devices/import', csv(file));
    expect(done.json).toMatchObject({ dryRun: false, created: 2, updated: 1, skipped: 4 });
    const pre = (await t.admin('/api/preregistrations')).json;
    expect(pre.map((p: { id: string }) => p.id)).toEqual(['dd:00:00:00:00:02', 'dd:00:00:00:00:01']);
    expect(pre[1]).toMatchObject({ name: 'Pump "north"', location: 'Hall A', tags: ['pumps', 'water'], profileName: 'Thermo', overrides: { relay: 1 } });
    expect((await t.admin(`/api/devices/${known}`)).json).toMatchObject({ name: 'Known one', location: 'Cellar' });

    const reg = await t.device('/api/v1/devices/dd:00:00:00:00:01/register', { body: { ssid: 'lan' } });
    expect(reg.status).toBe(201);
    expect(reg.json.state).toBe('active');
    expect(reg.json.config).toEqual({ unit: 'C', relay: 1 });
    expect((await t.admin('/api/devices/dd:00:00:00:00:01')).json).toMatchObject({ name: 'Pump "north"', profileName: 'Thermo', state: 'active' });
    expect((await t.admin('/api/preregistrations')).json).toHaveLength(1);
    const stranger = await t.device('/api/v1/devices/dd:00:00:00:00:77/register', { body: {} });
    expect(stranger.json.state).toBe('pending');
  });

  it('exports CSV and JSON with the list filter, defuses formula cells, and reads its own export back as "no change"', async () => {
    t = await startTestFleet();
    await registerDevice(t, 'dd:00:00:00:01:01', { ssid: '=HYPERLINK("x")' });
    await registerDevice(t, 'dd:00:00:00:01:02');
    await t.admin('/api/devices/dd:00:00:00:01:01', { method: 'PATCH', body: { name: 'Alpha, "one"', tags: ['x'] } });
    await t.admin('/api/devices/dd:00:00:00:01:01/config', { method: 'PUT', body: { overrides: { a: [1, 2] } } });

    const all = await t.admin('/api/devices/export?format=csv');
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toMatch(/text\/csv/);
    expect(all.headers['content-disposition']).toMatch(/attachment; filename="fleetdesk-devices-.*\.csv"/);
    const lines = all.text.trim().split('\r\n');
    expect(lines[0]).toBe('mac,name,location,tags,profile,status,lastSeen,ip,ssid,firmware,config');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('"Alpha, ""one"""');
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[1]).toContain('"{""a"":[1,2]}"');

    const filtered = (await t.admin('/api/devices/export?format=json&q=alpha')).json;
    expect(filtered.devices).toHaveLength(1);
    expect(filtered.devices[0]).toMatchObject({ mac: 'dd:00:00:00:01:01', name: 'Alpha, "one"', tags: ['x'], config: { a: [1, 2] }, ssid: '=HYPERLINK("x")' });

    const back = await t.admin('/api/devices/import?dryRun=1', csv(all.text));
    expect(back.json).toMatchObject({ created: 0, updated: 0, skipped: 2 });
    const backJson = await t.admin('/api/devices/import?dryRun=1', { body: filtered });
    expect(backJson.json).toMatchObject({ created: 0, updated: 0, skipped: 1 });
    expect((await t.admin('/api/devices/export?format=xml')).status).toBe(400);
    expect((await t.admin('/api/devices/import', { headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status).toBe(415);
    expect((await t.admin('/api/devices/import', csv('name\nfoo'))).json.error.code).toBe('bad_request');
  });

  it('replaces a dead device by one waiting in pending: identity, config and history move, the old one is retired', async () => {
    t = await startTestFleet();
    const oldToken = await registerDevice(t, 'dd:00:00:00:02:01');
    await t.admin('/api/devices/dd:00:00:00:02:01', { method: 'PATCH', body: { name: 'Freezer', location: 'Back', notes: 'door sticks', tags: ['cold'] } });
    await t.admin('/api/devices/dd:00:00:00:02:01/config', { method: 'PUT', body: { overrides: { max: -18 } } });
    await t.admin('/api/settings', { method: 'PATCH', body: { registrationPolicy: 'approve' } });
    const newToken = await registerDevice(t, 'dd:00:00:00:02:02');

    const res = await t.admin('/api/devices/dd:00:00:00:02:01/replace', { body: { with: 'DD:00:00:00:02:02' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ device: { id: 'dd:00:00:00:02:02', name: 'Freezer' }, retired: { id: 'dd:00:00:00:02:01', retiredFor: 'dd:00:00:00:02:02' } });
    expect(res.json.revisions).toBeGreaterThanOrEqual(1);
    expect((await t.admin('/api/devices/dd:00:00:00:02:02')).json).toMatchObject({ name: 'Freezer', location: 'Back', notes: 'door sticks', tags: ['cold'], state: 'active' });
    const history = (await t.admin('/api/devices/dd:00:00:00:02:02/config/history')).json;
    expect(history.some((r: { after: object }) => JSON.stringify(r.after) === '{"max":-18}')).toBe(true);
    const checkin = await t.device('/api/v1/devices/dd:00:00:00:02:02/checkin', { headers: bearer(newToken), body: { cfgsn: 0 } });
    expect(checkin.json.config).toEqual({ max: -18 });
    const old = (await t.admin('/api/devices/dd:00:00:00:02:01')).json;
    expect(old.state).toBe('blocked');
    expect(old.notes).toMatch(/Replaced by dd:00:00:00:02:02/);
    expect((await t.device('/api/v1/devices/dd:00:00:00:02:01/checkin', { headers: bearer(oldToken), body: {} })).status).toBe(401);

    const twice = await t.admin('/api/devices/dd:00:00:00:02:01/replace', { body: { with: 'dd:00:00:00:02:03' } });
    expect(twice.status).toBe(409);
    expect((await t.admin('/api/devices/dd:00:00:00:02:02/replace', { body: { with: 'dd:00:00:00:02:99' } })).status).toBe(404);
    expect((await t.admin('/api/devices/dd:00:00:00:02:02/replace', { body: { with: 'x y' } })).json.error.code).toBe('bad_id');
  });
});
