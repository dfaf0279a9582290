/** The legacy protocol with the exact request/reply shapes of the original design (protocol.md §9). */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../../helpers/fleet';

let t: TestFleet | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe('legacy protocol', () => {
  it('registers with {ipaddr, ssid}, returns the stored row, serves {cfgsn, data}', async () => {
    t = await startTestFleet();
    const reg = await t.device('/api/devices/ESP-Kitchen', { body: { ipaddr: '192.168.4.7', ssid: 'home' } });
    expect(reg.status).toBe(200);
    expect(reg.json).toMatchObject({ status: 'OK', id: 'esp-kitchen', ipaddr: '192.168.4.7', ssid: 'home', state: 'active' });
    const again = await t.device('/api/devices/esp-kitchen', { body: { ipaddr: '192.168.4.8', ssid: 'home' } });
    expect(again.json).toMatchObject({ status: 'OK', id: 'esp-kitchen', ipaddr: '192.168.4.8' });

    const cfg = await t.device('/api/devices/esp-kitchen');
    expect(cfg.status).toBe(200);
    expect(cfg.json).toEqual({ cfgsn: reg.json.cfgsn, data: {} });

    await t.admin('/api/devices/esp-kitchen/config', { method: 'PUT', body: { overrides: { relay: 'on' } } });
    const changed = await t.device('/api/devices/esp-kitchen');
    expect(changed.json.data).toEqual({ relay: 'on' });
    expect(changed.json.cfgsn).toBeGreaterThan(reg.json.cfgsn);

    const detail = await t.admin('/api/devices/esp-kitchen');
    expect(detail.json).toMatchObject({ protocol: 'legacy', ip: '192.168.4.8', ssid: 'home' });
    expect(detail.json.lastSeenAt).not.toBeNull();
  });

  it('follows the registration policy: pending devices get no config, key policy needs the key', async () => {
    t = await startTestFleet({ policy: 'approve' });
    const reg = await t.device('/api/devices/legacy-pending', { body: { ipaddr: '10.0.0.2', ssid: 's' } });
    expect(reg.json).toMatchObject({ status: 'OK', state: 'pending' });
    const refused = await t.device('/api/devices/legacy-pending');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    await t.admin('/api/devices/legacy-pending/approve', { method: 'POST' });
    expect((await t.device('/api/devices/legacy-pending')).json).toEqual({ cfgsn: reg.json.cfgsn, data: {} });

    await t.admin('/api/settings', { method: 'PATCH', body: { registrationPolicy: 'key', enrollmentKey: 'sesame' } });
    const noKey = await t.device('/api/devices/legacy-keyed', { body: { ipaddr: '10.0.0.3' } });
    expect(noKey.status).toBe(401);
    expect(noKey.json.error.code).toBe('unauthorized');
    const withKey = await t.device('/api/devices/legacy-keyed', { body: { ipaddr: '10.0.0.3', key: 'sesame' } });
    expect(withKey.json).toMatchObject({ status: 'OK', state: 'active' });
  });

  it('answers unknown ids with the historical NOK body', async () => {
    t = await startTestFleet();
    const res = await t.device('/api/devices/aa:bb:cc:dd:ee:99');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ status: 'NOK', message: 'Device NOT Registered' });
  });

  it('is refused with 403 when switched off in settings, and never lists or edits devices', async () => {
    t = await startTestFleet();
    await t.device('/api/devices/legacy-1', { body: { ipaddr: '1.2.3.4' } });
    const off = await t.admin('/api/settings', { method: 'PATCH', body: { legacyProtocol: false } });
    expect(off.json.legacyProtocol).toBe(false);
    for (const res of [await t.device('/api/devices/legacy-1'), await t.device('/api/devices/legacy-1', { body: { ipaddr: '1.2.3.4' } })]) {
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    }
    for (const [method, path] of [['GET', '/api/devices'], ['PATCH', '/api/devices/legacy-1'], ['DELETE', '/api/devices/legacy-1'], ['PUT', '/api/devices/legacy-1/config']]) {
      const res = await t.device(path!, { method, body: method === 'GET' ? undefined : { name: 'x' } });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    }
  });
});
