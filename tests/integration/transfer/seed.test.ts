/**
 * restDB.sqlite files made by a re-creation of the original server (string-built SQL, racing
 * registrations, Date.toString() times) come into the fleet as legacy devices: names with quotes,
 * JSON and non-JSON data, cfgsn kept, duplicates merged with the newest winning.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOriginalTime } from '../../../src/main/core/services/transfer/seed';
import { startOriginalServer } from '../../fixtures/original-server';
import { makeTempDataDir, startTestFleet, type TestFleet } from '../../helpers/fleet';
import { httpRequest } from '../../helpers/http';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function originalDatabase(): Promise<Buffer> {
  const dir = makeTempDataDir('fleetdesk-original-');
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  let clock = Date.UTC(2019, 2, 5, 13, 0, 0);
  const original = await startOriginalServer(join(dir, 'restDB.sqlite'), () => new Date((clock += 60_000)));
  const post = (id: string, body: object) => httpRequest(original.url, `/api/devices/${id}`, { body });
  // two registrations racing: the original stored the device twice
  await Promise.all([post('5ccf7f0a0b01', { ipaddr: '192.168.1.20', ssid: 'shop' }), post('5ccf7f0a0b01', { ipaddr: '192.168.1.21', ssid: 'shop' })]);
  await post('5ccf7f0a0b02', { ipaddr: '192.168.1.30', ssid: "Bob's \"net\"" });
  await post('5ccf7f0a0b03', { ipaddr: '192.168.1.40', ssid: 'x' });
  await httpRequest(original.url, '/api/devices/5ccf7f0a0b02', { method: 'PUT', body: { name: "O'Brien's \"pump\"; DROP TABLE devices", flags: 3, data: '{"relay":1,"label":"it\'s on"}' } });
  await httpRequest(original.url, '/api/devices/5ccf7f0a0b02', { method: 'PUT', body: { name: "O'Brien's \"pump\"; DROP TABLE devices", flags: 3, data: '{"relay":1,"label":"it\'s on"}' } });
  await httpRequest(original.url, '/api/devices/5ccf7f0a0b03', { method: 'PUT', body: { name: 'Boiler', data: 'relay=1;mode=eco' } });
  await httpRequest(original.url, '/api/devices/5ccf7f0a0b01'); // the original updated every duplicate row
  await post('bad id!', { ipaddr: '1.2.3.4', ssid: 'y' });
  expect((original.db.prepare('SELECT count(*) FROM devices').pluck().get() as number)).toBe(5);
  await original.close();
  return readFileSync(join(dir, 'restDB.sqlite'));
}

function seed(t: TestFleet, file: Buffer, dryRun = false) {
  return t.admin(`/api/import/seed${dryRun ? '?dryRun=1' : ''}`, { headers: { 'Content-Type': 'application/octet-stream' }, body: file });
}

describe('import of the original restDB.sqlite', () => {
  it('reads the original time format', () => {
    expect(parseOriginalTime('Tue Mar 05 2019 14:03:11 GMT+0100 (CET)')).toBe(Date.UTC(2019, 2, 5, 13, 3, 11));
    expect(parseOriginalTime('Tue Mar 05 2019 14:03:11 GMT-0230 (NDT)')).toBe(Date.UTC(2019, 2, 5, 16, 33, 11));
    expect(parseOriginalTime('1551790991000')).toBe(1551790991000);
    expect(parseOriginalTime('garbage')).toBeNull();
  });

  it('previews, then creates legacy devices with names, config and cfgsn as they were; duplicates merged', async () => {
    const file = await originalDatabase();
    const t = await startTestFleet();
    cleanup.push(() => t.dispose());

    const preview = await seed(t, file, true);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ dryRun: true, created: 3, merged: 1, skipped: 1 });
    expect((await t.admin('/api/devices')).json.total).toBe(0);
    const problems = preview.json.problems.map((p: { deviceid: string; problem: string }) => `${p.deviceid}: ${p.problem}`).join('\n');
    expect(problems).toMatch(/5c:cf:7f:0a:0b:01: 2 rows with this deviceid merged/);
    expect(problems).toMatch(/5c:cf:7f:0a:0b:03: data is not a JSON object; kept verbatim/);
    expect(problems).toMatch(/bad id!/);

    const report = await seed(t, file);
    expect(report.json).toMatchObject({ dryRun: false, created: 3, merged: 1, skipped: 1 });
    const pump = (await t.admin('/api/devices/5c:cf:7f:0a:0b:02')).json;
    expect(pump).toMatchObject({ name: "O'Brien's \"pump\"; DROP TABLE devices", protocol: 'legacy', ssid: "Bob's \"net\"", ip: '192.168.1.30', cfgsn: 3, state: 'active' });
    expect(pump.createdAt).toBe(Date.UTC(2019, 2, 5, 13, 3, 0));
    expect(pump.notes).toContain('flags in the original database: 3');
    const first = (await t.admin('/api/devices/5c:cf:7f:0a:0b:01')).json;
    expect(first.ip).toBe('192.168.1.21'); // both racing rows were last seen together: the later row wins
    expect(first.lastSeenAt).not.toBeNull();

    // the devices carry on with the legacy protocol and see their cfgsn unchanged
    const legacy = await t.device('/api/devices/5ccf7f0a0b02');
    expect(legacy.json).toEqual({ cfgsn: 3, data: { relay: 1, label: "it's on" } });
    const boiler = await t.device('/api/devices/5ccf7f0a0b03');
    expect(boiler.json).toEqual({ cfgsn: 2, data: { legacyData: 'relay=1;mode=eco' } });

    const again = await seed(t, file);
    expect(again.json).toMatchObject({ created: 0, skipped: 4 });
  });

  it('refuses what is not the original database with a 4xx and changes nothing', async () => {
    const t = await startTestFleet();
    cleanup.push(() => t.dispose());
    expect((await seed(t, Buffer.from('hello'))).json.error.code).toBe('bad_request');
    expect((await seed(t, readFileSync(join(t.dataDir, 'fleetdesk.db')))).json.error.message).toMatch(/not the original restDB.sqlite/);
    const wrongType = await t.admin('/api/import/seed', { headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    expect(wrongType.status).toBe(415);
    expect((await t.admin('/api/devices')).json.total).toBe(0);
  });
});
