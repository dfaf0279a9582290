/** Every admin REST route once over real HTTP: status codes and reply shapes, with the services behind. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

const A = 'aa:bb:cc:00:0a:01';
const B = 'aa:bb:cc:00:0a:02';

describe('admin REST', () => {
  let t: TestFleet;
  let tokenA: string;
  beforeAll(async () => {
    t = await startTestFleet();
    tokenA = await registerDevice(t, A);
    await registerDevice(t, B);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('lists devices with filter, sort and paging', async () => {
    await t.admin(`/api/devices/${A}`, { method: 'PATCH', body: { name: 'Alpha', location: 'Attic', tags: ['roof'] } });
    await t.admin(`/api/devices/${B}`, { method: 'PATCH', body: { name: 'Beta', location: 'Basement' } });
    const all = await t.admin('/api/devices?sort=name&order=desc');
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(2);
    expect(all.json.items.map((d: { name: string }) => d.name)).toEqual(['Beta', 'Alpha']);
    expect(Object.keys(all.json.counts).sort()).toEqual(['blocked', 'late', 'offline', 'online', 'pending']);
    const paged = await t.admin('/api/devices?sort=name&limit=1&offset=1');
    expect(paged.json.items.map((d: { name: string }) => d.name)).toEqual(['Beta']);
    expect(paged.json.total).toBe(2);
    expect((await t.admin('/api/devices?q=attic')).json.items.map((d: { id: string }) => d.id)).toEqual([A]);
    expect((await t.admin('/api/devices?tag=roof')).json.total).toBe(1);
  });

  it('profiles: create, read, rename, defaults, history, devices, delete', async () => {
    const created = await t.admin('/api/profiles', { body: { name: 'Sensors', defaults: { period: 60 } } });
    expect(created.status).toBe(201);
    const pid = created.json.id as number;
    expect((await t.admin('/api/profiles')).json.map((p: { id: number }) => p.id)).toContain(pid);
    expect((await t.admin(`/api/profiles/${pid}`)).json).toMatchObject({ name: 'Sensors', defaults: { period: 60 } });
    expect((await t.admin(`/api/profiles/${pid}`, { method: 'PATCH', body: { name: 'Sensors v2' } })).json.name).toBe('Sensors v2');

    const put = await t.admin(`/api/profiles/${pid}/config`, { method: 'PUT', body: { defaults: { period: 15, unit: 'C' } } });
    expect(put.status).toBe(200);
    expect((await t.admin(`/api/profiles/${pid}/config`)).json).toEqual({ defaults: { period: 15, unit: 'C' } });
    const history = (await t.admin(`/api/profiles/${pid}/config/history`)).json;
    expect(history[0]).toMatchObject({ target: 'profile', after: { period: 15, unit: 'C' } });

    await t.admin(`/api/devices/${A}`, { method: 'PATCH', body: { profileId: pid } });
    const view = (await t.admin(`/api/devices/${A}/config`)).json;
    expect(view.effective).toEqual({ period: 15, unit: 'C' });
    expect(view.sources).toEqual({ period: 'default', unit: 'default' });

    const removed = await t.admin(`/api/profiles/${pid}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(removed.json.devicesDetached).toBe(1);
    expect((await t.admin(`/api/profiles/${pid}`)).status).toBe(404);
  });

  it('device config history and restore', async () => {
    const first = await t.admin(`/api/devices/${B}/config`, { method: 'PUT', body: { overrides: { mode: 'eco' } } });
    await t.admin(`/api/devices/${B}/config`, { method: 'PUT', body: { overrides: { mode: 'turbo' } } });
    const history = (await t.admin(`/api/devices/${B}/config/history?limit=10`)).json as { id: number; after: unknown }[];
    expect(history.length).toBe(2);
    const eco = history.find((r) => JSON.stringify(r.after) === '{"mode":"eco"}')!;
    const restored = await t.admin(`/api/config/revisions/${eco.id}/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    const now = (await t.admin(`/api/devices/${B}/config`)).json;
    expect(now.overrides).toEqual({ mode: 'eco' });
    expect(now.cfgsn).toBeGreaterThan(first.json.cfgsn);
    expect((await t.admin('/api/config/revisions/99999/restore', { method: 'POST' })).status).toBe(404);
  });

  it('commands: queue, list, cancel', async () => {
    const cmd = await t.admin(`/api/devices/${A}/commands`, { body: { name: 'identify', args: { seconds: 2 }, ttlSeconds: 60 } });
    expect(cmd.status).toBe(201);
    const cancelled = await t.admin(`/api/commands/${cmd.json.id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.state).toBe('failed');
    expect((await t.admin(`/api/commands/${cmd.json.id}/cancel`, { method: 'POST' })).status).toBe(409);
    const reply = await t.device(`/api/v1/devices/${A}/checkin`, { headers: bearer(tokenA), body: {} });
    expect(reply.json.commands).toEqual([]);
    expect((await t.admin(`/api/devices/${A}/commands?limit=5`)).json[0]).toMatchObject({ id: cmd.json.id, state: 'failed' });
  });

  it('firmware: upload, list, assign to a profile, unassign, delete', async () => {
    const fw = await t.admin('/api/firmware?name=img&version=9.9.9', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from('image bytes') });
    expect(fw.status).toBe(201);
    expect((await t.admin('/api/firmware')).json.map((f: { id: number }) => f.id)).toContain(fw.json.id);
    const profile = (await t.admin('/api/profiles', { body: { name: 'With firmware' } })).json;
    expect((await t.admin(`/api/firmware/${fw.json.id}/assign`, { body: { profileId: profile.id } })).status).toBe(200);
    expect((await t.admin(`/api/profiles/${profile.id}`)).json.firmwareId).toBe(fw.json.id);
    expect((await t.admin(`/api/firmware/${fw.json.id}/assign`, { body: { deviceIds: [B] } })).json.affected).toBeGreaterThanOrEqual(1);
    expect((await t.admin(`/api/devices/${B}`)).json.assignedFirmware?.id).toBe(fw.json.id);
    expect((await t.admin('/api/firmware/unassign', { body: { deviceIds: [B] } })).status).toBe(200);
    expect((await t.admin(`/api/devices/${B}`)).json.assignedFirmware).toBeNull();
    expect((await t.admin(`/api/firmware/${fw.json.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.admin(`/api/firmware/${fw.json.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('bulk actions by ids and by filter', async () => {
    const tagged = await t.admin('/api/devices/bulk', { body: { target: { ids: [A, B] }, op: { action: 'addTags', tags: ['bulk'] } } });
    expect(tagged.status).toBe(200);
    expect(tagged.json.affected).toBe(2);
    const byFilter = await t.admin('/api/devices/bulk', { body: { target: { filter: { tag: 'bulk' } }, op: { action: 'setConfigKey', key: 'x', value: 1 } } });
    expect(byFilter.json.affected).toBe(2);
    expect((await t.admin(`/api/devices/${A}/config`)).json.overrides.x).toBe(1);
  });

  it('events, per device and fleet-wide, with cursor', async () => {
    const all = (await t.admin('/api/events?limit=5')).json as { id: number }[];
    expect(all.length).toBe(5);
    const older = (await t.admin(`/api/events?limit=5&before=${all[4]!.id}`)).json as { id: number }[];
    expect(older.every((e) => e.id < all[4]!.id)).toBe(true);
    const forA = (await t.admin(`/api/devices/${A}/events`)).json as { deviceId: string }[];
    expect(forA.length).toBeGreaterThan(0);
    expect(forA.every((e) => e.deviceId === A)).toBe(true);
    const registered = (await t.admin(`/api/events?kind=registered&deviceId=${A.toUpperCase()}`)).json;
    expect(registered.length).toBe(1);
  });

  it('telemetry: a bounded, downsampled series', async () => {
    for (const rssi of [-50, -60, -70]) {
      expect((await t.device(`/api/v1/devices/${A}/checkin`, { headers: bearer(tokenA), body: { rssi, heap: 20000, uptime: 5 } })).status).toBe(200);
    }
    const series = await t.admin(`/api/devices/${A}/telemetry?since=0&maxPoints=10`);
    expect(series.status).toBe(200);
    expect(series.json.length).toBeGreaterThanOrEqual(1);
    expect(series.json.length).toBeLessThanOrEqual(10);
    expect(series.json[0]).toHaveProperty('rssi');
    expect((await t.admin(`/api/devices/${A}/telemetry?maxPoints=0`)).status).toBe(400);
  });

  it('settings and server info', async () => {
    const settings = await t.admin('/api/settings');
    expect(settings.json).toMatchObject({ registrationPolicy: 'open', legacyProtocol: true });
    const patched = await t.admin('/api/settings', { method: 'PATCH', body: { defaultCheckinInterval: 45 } });
    expect(patched.json.defaultCheckinInterval).toBe(45);
    const server = (await t.admin('/api/server')).json;
    expect(server).toMatchObject({
      serverId: t.fleet.serverId,
      device: { bind: '127.0.0.1', port: t.fleet.deviceAddress.port, urls: [t.deviceUrl] },
      admin: { url: t.adminUrl },
      dataDir: t.dataDir,
    });
    expect(server.mdns.state).toBe('off');
    expect((await t.admin('/api/discovery/seen')).json).toEqual([]);
  });

  it('deletes a device; its token stops working', async () => {
    expect((await t.admin(`/api/devices/${A}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.admin(`/api/devices/${A}`)).status).toBe(404);
    expect((await t.device(`/api/v1/devices/${A}/checkin`, { headers: bearer(tokenA), body: {} })).status).toBe(401);
  });
});
