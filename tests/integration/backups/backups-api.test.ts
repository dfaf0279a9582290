/**
 * The backup API beyond the round trip: bad input changes nothing, retention, the schedule (driven
 * by an injected clock), and a restore that must not move a device's cfgsn backwards.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

let t: TestFleet;
afterEach(async () => {
  await t?.dispose();
});

const MAC = 'bb:00:00:00:00:01';

describe('backups API', () => {
  it('rejects bad ids, unknown backups, unreadable files and bad settings with 4xx and changes nothing', async () => {
    t = await startTestFleet();
    await registerDevice(t, MAC);
    expect((await t.admin('/api/backups/..%2F..%2Fetc/restore', { method: 'POST' })).json.error.code).toBe('bad_request');
    const unknown = await t.admin('/api/backups/fleetdesk-20260101T000000-000Z-manual/restore', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');

    const folder = join(t.dataDir, 'backups');
    const good = await t.admin('/api/backups', { method: 'POST' });
    expect(good.status).toBe(201);
    expect(good.json.file.startsWith(folder)).toBe(true);
    const fake = 'fleetdesk-20260101T000000-000Z-manual';
    writeFileSync(join(folder, `${fake}.tar.gz`), 'not a backup at all');
    const listed = (await t.admin('/api/backups')).json;
    expect(listed.unreadable).toEqual([`${fake}.tar.gz`]);
    expect(listed.backups).toHaveLength(1);
    const bad = await t.admin(`/api/backups/${fake}/restore`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect((await t.admin(`/api/devices/${MAC}`)).status).toBe(200);
    expect((await t.admin('/api/backups')).json.backups).toHaveLength(1); // no pre-restore backup was taken either

    for (const body of [{ folder: 'relative/path' }, { keep: 0 }, { intervalHours: -1 }, { surprise: true }, { folder: '/nonexistent-parent/backups' }, { folder: join(t.dataDir, 'fleetdesk.db', 'sub') }]) {
      const res = await t.admin('/api/backups/settings', { method: 'PATCH', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toBe('bad_request');
    }
    expect((await t.admin('/api/backups')).json.settings).toEqual({ folder, intervalHours: 24, keep: 7 });
  });

  it('keeps the newest N backups', async () => {
    t = await startTestFleet();
    await t.admin('/api/backups/settings', { method: 'PATCH', body: { keep: 2 } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.admin('/api/backups', { method: 'POST' })).json.id);
    const listed = (await t.admin('/api/backups')).json.backups.map((b: { id: string }) => b.id);
    expect(listed).toEqual([ids[2], ids[1]]);
  });

  it('takes the scheduled backup when it is due, and only then', async () => {
    let now = Date.UTC(2026, 0, 1, 12);
    t = await startTestFleet({ clock: { now: () => now } });
    await t.admin('/api/backups/settings', { method: 'PATCH', body: { intervalHours: 6 } });
    expect(await t.fleet.backups.runDue()).toBeNull();
    expect((await t.admin('/api/backups')).json.nextScheduledAt).toBe(now + 6 * 3_600_000);
    now += 6 * 3_600_000;
    const taken = await t.fleet.backups.runDue();
    expect(taken).toMatchObject({ reason: 'scheduled', createdAt: now, verified: true });
    expect(await t.fleet.backups.runDue()).toBeNull();
    expect((await t.admin('/api/backups')).json.nextScheduledAt).toBe(now + 6 * 3_600_000);
    await t.admin('/api/backups/settings', { method: 'PATCH', body: { intervalHours: 0 } });
    now += 100 * 3_600_000;
    expect(await t.fleet.backups.runDue()).toBeNull();
    expect((await t.admin('/api/backups')).json.nextScheduledAt).toBeNull();
  });

  it('raises the cfgsn of a device that already applied a newer config than the backup holds', async () => {
    t = await startTestFleet();
    const token = await registerDevice(t, MAC);
    await t.admin(`/api/devices/${MAC}/config`, { method: 'PUT', body: { overrides: { mode: 'old' } } });
    const backup = (await t.admin('/api/backups', { method: 'POST' })).json;
    const newer = (await t.admin(`/api/devices/${MAC}/config`, { method: 'PUT', body: { overrides: { mode: 'new' } } })).json;
    const applied = newer.cfgsn as number;
    expect((await t.device(`/api/v1/devices/${MAC}/checkin`, { headers: bearer(token), body: { cfgsn: applied } })).status).toBe(200);

    const restore = await t.admin(`/api/backups/${backup.id}/restore`, { method: 'POST' });
    expect(restore.status).toBe(200);
    expect(restore.json.cfgsnRaised).toBe(1);
    const reply = (await t.device(`/api/v1/devices/${MAC}/checkin`, { headers: bearer(token), body: { cfgsn: applied } })).json;
    expect(reply.cfgsn).toBeGreaterThan(applied);
    expect(reply.config).toMatchObject({ mode: 'old' });
  });
});
