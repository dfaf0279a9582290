/**
 * The whole v1 device flow over real HTTP: register → check-in → admin config change → a held
 * long-poll wakes → config applied → in sync; commands delivered and acked; firmware uploaded,
 * offered, downloaded (md5 matches), new version reported → outcome stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestFleet, untilParked, type TestFleet } from '../../helpers/fleet';

const MAC = 'AA:BB:CC:10:00:01';
const ID = 'aa:bb:cc:10:00:01';

describe('v1 device flow', () => {
  let t: TestFleet;
  let token: string;
  let cfgsn: number;

  beforeAll(async () => {
    t = await startTestFleet();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const checkin = (body: Record<string, unknown>, query = '') =>
    t.device(`/api/v1/devices/${ID}/checkin${query}`, { body, headers: bearer(token) });

  it('registers a new device with a token shown once, then knows it', async () => {
    const first = await t.device(`/api/v1/devices/${MAC}/register`, {
      body: { ip: '10.0.0.5', ssid: 'lab', fw: { name: 'fleetdesk-sming', version: '1.0.0' }, chip: { id: 42, flash: 4194304 } },
    });
    expect(first.status).toBe(201);
    expect(first.json.state).toBe('active');
    expect(first.json.token).toMatch(/^\S{22,}$/);
    token = first.json.token;
    cfgsn = first.json.cfgsn;
    expect(typeof first.json.interval).toBe('number');

    const again = await t.device(`/api/v1/devices/${ID}/register`, { body: { ip: '10.0.0.6' }, headers: bearer(token) });
    expect(again.status).toBe(200);
    expect(again.json.token).toBeUndefined();

    const detail = await t.admin(`/api/devices/${ID}`);
    expect(detail.status).toBe(200);
    expect(detail.json).toMatchObject({ id: ID, state: 'active', ip: '10.0.0.6', fwVersion: '1.0.0', protocol: 'v1' });
  });

  it('gives the config when behind and nothing when in sync', async () => {
    const behind = await checkin({ cfgsn: 0, rssi: -55, heap: 30000, uptime: 5, fw: { version: '1.0.0' } });
    expect(behind.status).toBe(200);
    expect(behind.json.cfgsn).toBe(cfgsn);
    expect(behind.json.config).toEqual({});
    const inSync = await checkin({ cfgsn });
    expect(inSync.json.config).toBeUndefined();
    expect(inSync.json.commands).toEqual([]);
  });

  it('wakes a held long-poll when the operator changes the config, and reports in sync once applied', async () => {
    const held = checkin({ cfgsn }, '?wait=10');
    await untilParked(t, 1, ID);
    const put = await t.admin(`/api/devices/${ID}/config`, { method: 'PUT', body: { overrides: { led: true, period: 30 } } });
    expect(put.status).toBe(200);
    // The change wakes the poll in the same turn that commits it: nothing is parked any more.
    expect(t.fleet.services.protocol.parkedCount(ID)).toBe(0);
    const changedAt = Date.now();
    const woken = await held;
    // Held for 10 s unless woken: answering within a couple of seconds proves the wake-up.
    expect(Date.now() - changedAt).toBeLessThan(2_000);
    expect(woken.status).toBe(200);
    expect(woken.json.cfgsn).toBe(put.json.cfgsn);
    expect(woken.json.cfgsn).toBeGreaterThan(cfgsn);
    expect(woken.json.config).toEqual({ led: true, period: 30 });

    const pending = await t.admin(`/api/devices/${ID}/config`);
    expect(pending.json.inSync).toBe(false);
    cfgsn = woken.json.cfgsn;
    const applied = await checkin({ cfgsn });
    expect(applied.json.config).toBeUndefined();
    const synced = await t.admin(`/api/devices/${ID}/config`);
    expect(synced.json).toMatchObject({ inSync: true, cfgsnReported: cfgsn, effective: { led: true, period: 30 } });
  });

  it('a long-poll with nothing to do answers after its wait with an ordinary reply', async () => {
    const started = Date.now();
    const res = await checkin({ cfgsn }, '?wait=1');
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(res.json).toMatchObject({ state: 'active', cfgsn, commands: [] });
  });

  it('delivers commands until acked, then records the acks', async () => {
    const reboot = await t.admin(`/api/devices/${ID}/commands`, { body: { name: 'reboot' } });
    const identify = await t.admin(`/api/devices/${ID}/commands`, { body: { name: 'identify', args: { seconds: 3 } } });
    expect(reboot.status).toBe(201);
    expect(identify.status).toBe(201);

    const delivered = await checkin({ cfgsn }, '?wait=30');
    expect(delivered.json.commands).toEqual([
      { id: reboot.json.id, name: 'reboot', args: {} },
      { id: identify.json.id, name: 'identify', args: { seconds: 3 } },
    ]);
    // at least once: not acked yet → delivered again
    const repeated = await checkin({ cfgsn });
    expect(repeated.json.commands.map((c: { id: number }) => c.id)).toEqual([reboot.json.id, identify.json.id]);
    const acked = await checkin({ cfgsn, acks: [{ id: reboot.json.id, ok: true }, { id: identify.json.id, ok: false, result: 'no LED' }] });
    expect(acked.json.commands).toEqual([]);

    const list = await t.admin(`/api/devices/${ID}/commands`);
    const byId = new Map((list.json as { id: number; state: string; result: unknown }[]).map((c) => [c.id, c]));
    expect(byId.get(reboot.json.id)?.state).toBe('acked');
    expect(byId.get(identify.json.id)).toMatchObject({ state: 'failed', result: 'no LED' });
  });

  it('uploads, offers, serves and records a firmware update', async () => {
    const image = randomBytes(20_000);
    const md5 = createHash('md5').update(image).digest('hex');
    const upload = await t.admin('/api/firmware?name=fleetdesk-sming&version=2.0.0&notes=flow%20test', {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: image,
    });
    expect(upload.status).toBe(201);
    expect(upload.json).toMatchObject({ name: 'fleetdesk-sming', version: '2.0.0', size: image.length, md5 });
    const fid = upload.json.id as number;
    const assign = await t.admin(`/api/firmware/${fid}/assign`, { body: { deviceIds: [MAC] } });
    expect(assign.status).toBe(200);
    expect(assign.json.affected).toBe(1);

    const offered = await checkin({ cfgsn, fw: { version: '1.0.0' } });
    expect(offered.json.firmware).toEqual({ id: fid, version: '2.0.0', url: `/api/v1/devices/${ID}/firmware/${fid}`, size: image.length, md5 });

    const download = await t.device(offered.json.firmware.url, { headers: bearer(token) });
    expect(download.status).toBe(200);
    expect(download.headers['content-length']).toBe(String(image.length));
    expect(download.headers['x-md5']).toBe(md5);
    expect(download.headers['content-md5']).toBe(Buffer.from(md5, 'hex').toString('base64'));
    expect(createHash('md5').update(download.body).digest('hex')).toBe(md5);

    const noToken = await t.device(offered.json.firmware.url);
    expect(noToken.status).toBe(401);
    expect(noToken.json.error.code).toBe('unauthorized');

    // The ESP8266 Arduino updater path serves the same offer (Basic auth with the token as password).
    const basic = { Authorization: `Basic ${Buffer.from(`${ID}:${token}`).toString('base64')}` };
    const esp = await t.device(`/api/v1/devices/${ID}/update`, { headers: { ...basic, 'x-ESP8266-version': '1.0.0', 'x-ESP8266-mode': 'sketch' } });
    expect(esp.status).toBe(200);
    expect(esp.headers['x-md5']).toBe(md5);
    expect(esp.body.equals(image)).toBe(true);

    const updated = await checkin({ cfgsn, uptime: 2, fw: { name: 'fleetdesk-sming', version: '2.0.0' } });
    expect(updated.json.firmware).toBeUndefined();
    const detail = await t.admin(`/api/devices/${ID}`);
    expect(detail.json.fwVersion).toBe('2.0.0');
    expect(detail.json.firmwareUpdate.state).toBe('updated');
    const current = await t.device(`/api/v1/devices/${ID}/update`, { headers: { ...bearer(token), 'x-ESP8266-version': '2.0.0' } });
    expect(current.status).toBe(304);
    expect(current.body.length).toBe(0);
    const events = await t.admin(`/api/devices/${ID}/events?kind=firmware_updated`);
    expect(events.json.length).toBeGreaterThanOrEqual(1);
  });

  it('records a failed update reported through the check-in and stops offering that image', async () => {
    const upload = await t.admin('/api/firmware?name=fleetdesk-sming&version=2.1.0', {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: randomBytes(1000),
    });
    const fid = upload.json.id as number;
    await t.admin(`/api/firmware/${fid}/assign`, { body: { deviceIds: [ID] } });
    const offered = await checkin({ cfgsn, fw: { version: '2.0.0' } });
    expect(offered.json.firmware?.id).toBe(fid);
    const failed = await checkin({ cfgsn, fw: { version: '2.0.0' }, ota: { id: fid, ok: false, message: 'md5 mismatch' } });
    expect(failed.json.firmware).toBeUndefined();
    const detail = await t.admin(`/api/devices/${ID}`);
    expect(detail.json.firmwareUpdate).toMatchObject({ state: 'failed' });
    expect(detail.json.fwVersion).toBe('2.0.0');
  });
});
