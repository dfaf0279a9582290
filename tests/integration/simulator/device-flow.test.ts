/**
 * SimulatedDevice against a real fleet (createFleet on 127.0.0.1, port 0, mDNS off, temp dir):
 * it must behave as the firmware does, or the e2e tests and the benchmark measure a fiction.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, DeviceDetail, FirmwareSummary } from '../../../src/shared/api';
import { AdminClient } from '../../../src/simulator/admin-client';
import { SimulatedDevice } from '../../../src/simulator/device';
import { startTestFleet, type TestFleet } from '../../helpers/fleet';

describe('SimulatedDevice (v1) against a real fleet', () => {
  let t: TestFleet;
  let admin: AdminClient;
  const devices: SimulatedDevice[] = [];
  const device = (mac: string, extra: Partial<ConstructorParameters<typeof SimulatedDevice>[0]> = {}) => {
    const d = new SimulatedDevice({ server: t.deviceUrl, mac, ...extra });
    devices.push(d);
    return d;
  };

  beforeAll(async () => {
    t = await startTestFleet();
    admin = new AdminClient(t.adminUrl, t.fleet.adminToken);
  });
  afterAll(async () => {
    await Promise.all(devices.map((d) => d.stop()));
    await t?.dispose();
  });

  it('registers, keeps its token across a reboot, and reports telemetry the server stores', async () => {
    const d = device('02:5e:00:00:00:01', { fwVersion: '1.2.3' });
    const registered = d.waitFor('registered');
    await d.checkin();
    expect((await registered)[0]).toMatchObject({ httpStatus: 201, state: 'active', newToken: true });
    const token = d.token;
    expect(token).toMatch(/^\S{22,}$/);

    d.reboot('test');
    const again = d.waitFor('registered');
    await d.checkin();
    expect((await again)[0]).toMatchObject({ httpStatus: 200, newToken: false });
    expect(d.token).toBe(token);

    const detail = await admin.request<DeviceDetail>('GET', '/api/devices/02:5e:00:00:00:01');
    expect(detail).toMatchObject({ state: 'active', fwVersion: '1.2.3', protocol: 'v1', ssid: 'fleetdesk-sim' });
    expect(detail.rssi).toBe(d.telemetry.rssi);
    expect(detail.uptime).toBeLessThan(5);
  });

  it('applies a config changed by the operator while long-polling, and the server sees it in sync', async () => {
    const d = device('02:5e:00:00:00:02', { wait: 30 });
    await d.checkin();
    d.start();
    await d.waitFor('sent', (e) => e.cfgsn === d.desiredCfgsn && d.desiredCfgsn > 0);
    const applied = d.waitFor('config', (e) => e.config.led === true, 10_000);
    const view = await admin.request<{ cfgsn: number }>('PUT', '/api/devices/02:5e:00:00:00:02/config', { overrides: { led: true, label: 'l\'atelier "nord"' } });
    const [{ cfgsn, config }] = await applied;
    expect(cfgsn).toBe(view.cfgsn);
    expect(config).toEqual({ led: true, label: 'l\'atelier "nord"' });
    await d.waitFor('sent', (e) => e.cfgsn === view.cfgsn);
    await expect.poll(async () => (await admin.request<DeviceDetail>('GET', '/api/devices/02:5e:00:00:00:02')).inSync, { timeout: 5_000 }).toBe(true);
    await d.stop();
  });

  it('runs identify and custom commands once, acks them on the next check-in, and reboots on reboot', async () => {
    const d = device('02:5e:00:00:00:03', { onCommand: (c) => (c.name === 'fail-me' ? { ok: false, result: 'nope' } : { ok: true, result: `did ${c.name}` }) });
    await d.checkin();
    const queue = (name: string, args: Record<string, unknown> = {}) => admin.request<Command>('POST', '/api/devices/02:5e:00:00:00:03/commands', { name, args });
    const identify = await queue('identify', { seconds: 2 });
    const custom = await queue('relay.set', { on: true });
    const failing = await queue('fail-me');
    const reboot = await queue('reboot');
    const identified = d.waitFor('identify');
    const rebooted = d.waitFor('reboot');
    const reply = await d.checkin();
    expect(reply.commands.map((c) => c.name)).toEqual(['identify', 'relay.set', 'fail-me', 'reboot']);
    await identified;
    await rebooted;
    expect(d.uptime).toBe(0);

    const reRegistered = d.waitFor('registered');
    await d.checkin(); // boots: registers again, then acks everything
    await reRegistered;
    const commands = await admin.request<Command[]>('GET', '/api/devices/02:5e:00:00:00:03/commands');
    const state = (id: number) => commands.find((c) => c.id === id);
    expect(state(identify.id)).toMatchObject({ state: 'acked', result: 'blinked 2 s' });
    expect(state(custom.id)).toMatchObject({ state: 'acked', result: 'did relay.set' });
    expect(state(failing.id)).toMatchObject({ state: 'failed', result: 'nope' });
    expect(state(reboot.id)).toMatchObject({ state: 'acked' });
    const next = await d.checkin();
    expect(next.commands).toEqual([]);
  });

  it('downloads offered firmware, checks the MD5, reboots into it and reports the new version', async () => {
    const image = Buffer.from('simulated image 2.0.0 '.repeat(100));
    const fw = await uploadFirmware(t, '2.0.0', image);
    expect(fw.md5).toBe(createHash('md5').update(image).digest('hex'));
    const d = device('02:5e:00:00:00:04', { fwVersion: '1.0.0' });
    await d.checkin();
    await admin.request('POST', `/api/firmware/${fw.id}/assign`, { deviceIds: ['02:5e:00:00:00:04'] });
    const outcome = d.waitFor('firmware');
    const rebooted = d.waitFor('reboot');
    const offerReply = await d.checkin();
    expect(offerReply.firmware).toMatchObject({ id: fw.id, version: '2.0.0', size: image.length, md5: fw.md5 });
    expect((await outcome)[0]).toMatchObject({ ok: true, version: '2.0.0' });
    expect((await rebooted)[0].reason).toContain('2.0.0');
    expect(d.fwVersion).toBe('2.0.0');
    const after = await d.checkin();
    expect(after.firmware).toBeUndefined();
    const detail = await admin.request<DeviceDetail>('GET', '/api/devices/02:5e:00:00:00:04');
    expect(detail.fwVersion).toBe('2.0.0');
    expect(detail.firmwareUpdate.state).toBe('updated');
  });

  it('refuses an image whose MD5 does not match, keeps the old version and reports the failure', async () => {
    const fw = await uploadFirmware(t, '3.0.0', Buffer.from('image three'));
    const d = device('02:5e:00:00:00:05', { fwVersion: '1.0.0', tamperFirmware: (b) => Buffer.concat([b, Buffer.from('!')]).subarray(1) });
    await d.checkin();
    await admin.request('POST', `/api/firmware/${fw.id}/assign`, { deviceIds: ['02:5e:00:00:00:05'] });
    const outcome = d.waitFor('firmware');
    await d.checkin();
    const [result] = await outcome;
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/md5 mismatch/);
    expect(d.fwVersion).toBe('1.0.0');
    const report = await d.checkin(); // carries ota {ok:false}; the server stops offering this image
    expect(report.firmware).toBeUndefined();
    const detail = await admin.request<DeviceDetail>('GET', '/api/devices/02:5e:00:00:00:05');
    expect(detail.firmwareUpdate.state).toBe('failed');
    expect(detail.fwVersion).toBe('1.0.0');
  });

  it('--flaky: drops off the network, comes back after a power cut and registers again', async () => {
    // random() = 0: every cycle drops, and the drop is a power cut; the first drop lasts the 1 s initial interval
    const d = device('02:5e:00:00:00:07', { interval: 1, flaky: 1, random: () => 0 });
    const statuses: string[] = [];
    d.on('status', (s) => statuses.push(s));
    const cameBack = d.waitFor('registered', () => true, 10_000);
    const powerCut = d.waitFor('reboot', (e) => e.reason === 'power cut', 10_000);
    d.start();
    await powerCut;
    await cameBack;
    await d.waitFor('checkin');
    await d.stop();
    expect(statuses.slice(0, 3)).toEqual(['dropped', 'registering', 'online']);
  });

  it('registers again after the operator resets its credentials', async () => {
    const d = device('02:5e:00:00:00:06');
    await d.checkin();
    const oldToken = d.token;
    await admin.request('POST', '/api/devices/02:5e:00:00:00:06/reset-credentials');
    await expect(d.checkin()).rejects.toMatchObject({ status: 401 });
    await d.checkin(); // 401 → register → new token → check-in
    expect(d.token).not.toBe(oldToken);
    expect(d.state).toBe('active');
  });
});

describe('SimulatedDevice under the approve policy', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet({ policy: 'approve' });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('waits as pending without config, gets it once approved; a stranger with the same MAC only gets a claim', async () => {
    const d = new SimulatedDevice({ server: t.deviceUrl, mac: '02:5e:00:00:01:01' });
    const pending = await d.checkin();
    expect(pending.state).toBe('pending');
    expect(d.status).toBe('pending');
    expect(pending.config).toBeUndefined();
    expect(d.configPending).toBe(false);

    await t.admin('/api/devices/02:5e:00:00:01:01/approve', { method: 'POST' });
    const applied = d.waitFor('config');
    const active = await d.checkin();
    expect(active.state).toBe('active');
    await applied;
    expect(d.status).toBe('online');

    // under approve a registration without the token waits as a claim: the impostor learns nothing
    const impostor = new SimulatedDevice({ server: t.deviceUrl, mac: '02:5e:00:00:01:01' });
    const claim = await impostor.register();
    expect(claim).toMatchObject({ state: 'pending' });
    expect(claim.config).toBeUndefined();
    expect((await impostor.checkin()).config).toBeUndefined();
    expect((await d.checkin()).state).toBe('active');
    // the operator rejects the claim: the impostor's token is refused from then on
    expect((await t.admin('/api/claims/02:5e:00:00:01:01', { method: 'DELETE' })).status).toBe(204);
    await t.admin('/api/settings', { method: 'PATCH', body: { registrationPolicy: 'open' } });
    await expect(impostor.register()).rejects.toMatchObject({ status: 409 });
    expect(impostor.status).toBe('rejected');
  });
});

describe('SimulatedDevice (legacy) against a real fleet', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('registers with POST /api/devices/{id}, polls its config with GET and applies changes', async () => {
    const d = new SimulatedDevice({ server: t.deviceUrl, mac: 'legacy-sim-1', legacy: true });
    await d.checkin();
    expect(d.state).toBe('active');
    const row = await t.admin('/api/devices/legacy-sim-1');
    expect(row.json).toMatchObject({ protocol: 'legacy', ssid: 'fleetdesk-sim' });

    await t.admin('/api/devices/legacy-sim-1/config', { method: 'PUT', body: { overrides: { mode: 'eco' } } });
    const applied = d.waitFor('config');
    await d.checkin();
    expect((await applied)[0].config).toEqual({ mode: 'eco' });
  });

  it('registers again when the server has forgotten it', async () => {
    const d = new SimulatedDevice({ server: t.deviceUrl, mac: 'legacy-sim-2', legacy: true });
    await d.checkin();
    await t.admin('/api/devices/legacy-sim-2', { method: 'DELETE' });
    await expect(d.checkin()).rejects.toMatchObject({ status: 404 });
    const registered = d.waitFor('registered');
    await d.checkin();
    await registered;
    expect((await t.admin('/api/devices/legacy-sim-2')).status).toBe(200);
  });
});

async function uploadFirmware(t: TestFleet, version: string, image: Buffer): Promise<FirmwareSummary> {
  const reply = await httpRequestRaw(`${t.adminUrl}/api/firmware?name=sim&version=${version}`, t.fleet.adminToken, image);
  expect(reply.status).toBe(201);
  return JSON.parse(reply.body.toString()) as FirmwareSummary;
}

/** The admin upload takes a raw octet-stream body, which the JSON client does not send. */
function httpRequestRaw(url: string, token: string, body: Buffer) {
  return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
