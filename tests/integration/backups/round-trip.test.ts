/**
 * Backup → wipe → restore: a fleet with profiles, config revisions and firmware images comes back
 * identical (row counts and content hashes of every table), keeps its server id, and its devices
 * go on checking in with the tokens they already hold.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestTables } from '../../helpers/db-hash';
import { bearer, makeTempDataDir, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

const MACS = ['aa:00:00:00:00:01', 'aa:00:00:00:00:02', 'aa:00:00:00:00:03'];
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function buildFleet(t: TestFleet): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const mac of MACS) tokens[mac] = await registerDevice(t, mac, { ssid: 'shop "floor"', fw: { name: 'sensor', version: '1.0.0' } });
  const profile = (await t.admin('/api/profiles', { body: { name: 'thermo', description: 'it\'s "warm"', defaults: { interval: 30 } } })).json;
  expect((await t.admin(`/api/profiles/${profile.id}/config`, { method: 'PUT', body: { defaults: { interval: 60, unit: 'C' } } })).status).toBe(200);
  for (const [i, mac] of MACS.entries()) {
    await t.admin(`/api/devices/${mac}`, { method: 'PATCH', body: { name: `Sensor ${i}`, location: 'Hall; DROP TABLE devices', profileId: profile.id, tags: ['a', `t${i}`] } });
    await t.admin(`/api/devices/${mac}/config`, { method: 'PUT', body: { overrides: { offset: i } } });
  }
  const image = Buffer.alloc(40_000, 7);
  const fw = await t.admin('/api/firmware?name=sensor&version=2.0.0', { headers: { 'Content-Type': 'application/octet-stream' }, body: image });
  expect(fw.status).toBe(201);
  await t.admin(`/api/firmware/${fw.json.id}/assign`, { body: { deviceIds: [MACS[0]] } });
  for (const mac of MACS) {
    const res = await t.device(`/api/v1/devices/${mac}/checkin`, { headers: bearer(tokens[mac]!), body: { cfgsn: 1, rssi: -60, heap: 30000, uptime: 10 } });
    expect(res.status).toBe(200);
  }
  return tokens;
}

describe('backup and restore', () => {
  it('brings a wiped fleet back identical, with its server id and device tokens', async () => {
    const backupFolder = makeTempDataDir('fleetdesk-backups-');
    cleanup.push(() => rmSync(backupFolder, { recursive: true, force: true }));
    const a = await startTestFleet();
    cleanup.push(() => a.dispose());
    const tokens = await buildFleet(a);
    const serverId = a.fleet.serverId;

    expect((await a.admin('/api/backups/settings', { method: 'PATCH', body: { folder: backupFolder } })).status).toBe(200);
    const created = await a.admin('/api/backups', { method: 'POST' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ reason: 'manual', verified: true, serverId, contents: { devices: 3, profiles: 1, images: 1 } });
    expect(created.json.contents.revisions).toBeGreaterThanOrEqual(4);
    expect(created.json.size).toBeGreaterThan(0);
    expect(existsSync(created.json.file)).toBe(true);
    const listed = (await a.admin('/api/backups')).json;
    expect(listed.backups.map((b: { id: string }) => b.id)).toEqual([created.json.id]);

    await a.stop();
    // what the backup holds = the fleet as it was (only the backup bookkeeping moved on since)
    const isBookkeeping = (table: string, row: Record<string, unknown>) => table === 'settings' && String(row.key).startsWith('backup');
    const before = digestTables(join(a.dataDir, 'fleetdesk.db'), (table, row) => !isBookkeeping(table, row));
    rmSync(a.dataDir, { recursive: true, force: true }); // the wipe

    const b = await startTestFleet();
    cleanup.push(() => b.dispose());
    expect(b.fleet.serverId).not.toBe(serverId);
    await b.admin('/api/backups/settings', { method: 'PATCH', body: { folder: backupFolder } });
    const restore = await b.admin(`/api/backups/${created.json.id}/restore`, { method: 'POST' });
    expect(restore.status).toBe(200);
    expect(restore.json.serverId).toBe(serverId);
    expect(restore.json.safetyBackup.reason).toBe('pre-restore');
    expect(b.fleet.serverId).toBe(serverId);
    expect((await b.admin('/api/server')).json.serverId).toBe(serverId);

    const eventsBefore = before.events!.rows;
    const after = digestTables(join(b.dataDir, 'fleetdesk.db'), (table, row) =>
      !isBookkeeping(table, row) && !(table === 'events' && Number(row.id) > eventsBefore));
    expect(after).toEqual(before);

    for (const mac of MACS) {
      const res = await b.device(`/api/v1/devices/${mac}/checkin`, { headers: bearer(tokens[mac]!), body: { cfgsn: 1 } });
      expect(res.status, mac).toBe(200);
    }
    const offered = await b.device(`/api/v1/devices/${MACS[0]}/checkin`, { headers: bearer(tokens[MACS[0]!]!), body: { cfgsn: 1 } });
    expect(offered.json.firmware?.url).toBeTruthy();
    const image = await b.device(offered.json.firmware.url, { headers: bearer(tokens[MACS[0]!]!) });
    expect(image.status).toBe(200);
    expect(image.body.length).toBe(40_000);
    const device = (await b.admin(`/api/devices/${MACS[1]}`)).json;
    expect(device).toMatchObject({ name: 'Sensor 1', location: 'Hall; DROP TABLE devices', tags: ['a', 't1'] });
    const events = (await b.admin('/api/events?kind=backup_restored&limit=5')).json;
    expect(events.length ?? events.events?.length).toBeGreaterThan(0);
  });
});
