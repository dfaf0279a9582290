import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetError } from '../../../src/main/core/errors';
import { type Harness, makeHarness, registerDevice } from '../../unit/core/fixture';

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(() => h.close());

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof FleetError) return `${err.status} ${err.code}`;
    throw err;
  }
  return 'no error';
};
const deviceRows = () => h.db.prepare('SELECT count(*) FROM devices').pluck().get();
const snapshot = (id: string) => {
  h.services.flush();
  return h.db.prepare('SELECT * FROM devices WHERE id = ?').get(id);
};

describe('registration and tokens', () => {
  it('open: a new device is active at once and gets a ≥128-bit token stored only as a hash', () => {
    const { status, reply } = h.services.protocol.register('AA-BB-CC-00-00-01', { ip: '10.0.0.1' }, null, '192.0.2.1');
    expect(status).toBe(201);
    expect(reply).toMatchObject({ state: 'active', cfgsn: 1, config: {}, interval: 30 });
    expect(Buffer.from(reply.token!, 'base64url').length).toBeGreaterThanOrEqual(16);
    const row = h.db.prepare("SELECT token_hash FROM devices WHERE id = 'aa:bb:cc:00:00:01'").pluck().get() as string;
    expect(row).toMatch(/^[0-9a-f]{64}$/);
    expect(row).not.toContain(reply.token);
    expect(h.services.events.list({ limit: 10 }).map((e) => e.kind)).toEqual(['registered']);
  });

  it('tokens differ between devices', () => {
    expect(registerDevice(h, 'aa:bb:cc:00:00:01')).not.toBe(registerDevice(h, 'aa:bb:cc:00:00:02'));
  });

  it('a known device with its token gets 200 and no new token; without it 409 and nothing changes', () => {
    const token = registerDevice(h, 'aa:bb:cc:00:00:01', { ip: '10.0.0.1' });
    const again = h.services.protocol.register('aabbcc000001', { ssid: 'lab' }, token, '192.0.2.1');
    expect(again.status).toBe(200);
    expect(again.reply.token).toBeUndefined();
    const before = snapshot('aa:bb:cc:00:00:01');
    expect(code(() => h.services.protocol.register('aa:bb:cc:00:00:01', { ip: '6.6.6.6' }, null, '192.0.2.9'))).toBe('409 conflict');
    expect(code(() => h.services.protocol.register('aa:bb:cc:00:00:01', { ip: '6.6.6.6' }, 'wrong', '192.0.2.9'))).toBe('409 conflict');
    expect(snapshot('aa:bb:cc:00:00:01')).toEqual(before);
  });

  it('missing or wrong token on check-in → 401, nothing changed; unknown device → 401 too', () => {
    const token = registerDevice(h, 'aa:bb:cc:00:00:01');
    h.clock.advance(5000);
    const before = snapshot('aa:bb:cc:00:00:01');
    const events = h.services.events.list({ limit: 50 }).length;
    for (const bearer of [null, '', 'x', token.slice(0, -1), `${token}x`]) {
      expect(code(() => h.services.protocol.checkin('aa:bb:cc:00:00:01', bearer, { cfgsn: 1, rssi: -1, ip: '6.6.6.6' }, '192.0.2.9'))).toBe('401 unauthorized');
    }
    expect(code(() => h.services.protocol.checkin('aa:bb:cc:00:00:99', token, {}, '192.0.2.9'))).toBe('401 unauthorized');
    expect(code(() => h.services.protocol.firmwareFor('aa:bb:cc:00:00:01', 'wrong', 1))).toBe('401 unauthorized');
    expect(snapshot('aa:bb:cc:00:00:01')).toEqual(before);
    expect(h.services.events.list({ limit: 50 })).toHaveLength(events);
    expect(h.services.devices.get('aa:bb:cc:00:00:01').rssi).toBeNull();
  });

  it('bad ids are refused with bad_id', () => {
    expect(code(() => h.services.protocol.register('not a mac!', {}, null, 'x'))).toBe('400 bad_id');
    expect(code(() => h.services.protocol.checkin("'; DROP TABLE devices; --", 't', {}, 'x'))).toBe('400 bad_id');
    expect(code(() => h.services.protocol.legacyConfig('../etc', 'x'))).toBe('400 bad_id');
  });

  it('approve: pending until approved, check-ins answered without config; approve makes it active', () => {
    h.services.settings.patch({ registrationPolicy: 'approve' }, 'admin');
    const { status, reply } = h.services.protocol.register('aa:bb:cc:00:00:02', {}, null, 'x');
    expect(status).toBe(201);
    expect(reply).toEqual({ state: 'pending', token: reply.token, cfgsn: 1, interval: 30 });
    h.services.config.setDeviceOverrides('aa:bb:cc:00:00:02', { a: 1 }, 'admin');
    h.services.commands.enqueue('aa:bb:cc:00:00:02', { name: 'reboot', args: {}, ttlSeconds: 60 }, 'admin');
    expect(h.services.protocol.checkin('aa:bb:cc:00:00:02', reply.token!, { cfgsn: 0 }, 'x')).toEqual({
      state: 'pending', cfgsn: 2, commands: [], interval: 30,
    });
    expect(h.services.devices.list({ sort: 'name', order: 'asc', offset: 0, limit: 10 }).counts.pending).toBe(1);
    h.services.devices.approve('aa:bb:cc:00:00:02', 'admin');
    const active = h.services.protocol.checkin('aa:bb:cc:00:00:02', reply.token!, { cfgsn: 0 }, 'x');
    expect(active).toMatchObject({ state: 'active', cfgsn: 2, config: { a: 1 }, commands: [{ name: 'reboot' }] });
    expect(h.services.devices.get('aa:bb:cc:00:00:02').status).toBe('online');
  });

  it('key: missing or wrong key → 401 and nothing stored; the right key registers; legacy obeys too', () => {
    h.services.settings.patch({ registrationPolicy: 'key', enrollmentKey: 'k3y "q" \\' }, 'admin');
    expect(code(() => h.services.protocol.register('aa:bb:cc:00:00:03', {}, null, 'x'))).toBe('401 unauthorized');
    expect(code(() => h.services.protocol.register('aa:bb:cc:00:00:03', { key: 'nope' }, null, 'x'))).toBe('401 unauthorized');
    expect(code(() => h.services.protocol.legacyRegister('legacy-1', { ipaddr: '1.1.1.1' }, 'x'))).toBe('401 unauthorized');
    expect(deviceRows()).toBe(0);
    expect(h.services.protocol.register('aa:bb:cc:00:00:03', { key: 'k3y "q" \\' }, null, 'x').status).toBe(201);
    expect(h.services.protocol.legacyRegister('legacy-1', { key: 'k3y "q" \\' }, 'x')).toMatchObject({ status: 'OK', state: 'active' });
    expect(deviceRows()).toBe(2);
  });

  it('key policy cannot be switched on with an empty key (it would admit nobody)', () => {
    const before = h.services.settings.get().registrationPolicy;
    expect(code(() => h.services.settings.patch({ registrationPolicy: 'key', enrollmentKey: '' }, 'admin'))).toBe('400 bad_request');
    expect(h.services.settings.get().registrationPolicy).toBe(before);
    expect(h.services.protocol.register('aa:bb:cc:00:00:03', { key: '' }, null, 'x').status).toBe(201);
  });

  it('reset credentials: old token stops working, the device registers again and gets a new token', () => {
    const old = registerDevice(h, 'aa:bb:cc:00:00:04');
    h.services.devices.resetCredentials('aa:bb:cc:00:00:04', 'admin');
    expect(code(() => h.services.protocol.checkin('aa:bb:cc:00:00:04', old, {}, 'x'))).toBe('401 unauthorized');
    const again = h.services.protocol.register('aa:bb:cc:00:00:04', {}, old, 'x');
    expect(again.status).toBe(201);
    expect(again.reply.token).not.toBe(old);
    expect(h.services.protocol.checkin('aa:bb:cc:00:00:04', again.reply.token!, {}, 'x').state).toBe('active');
    expect(code(() => h.services.protocol.register('aa:bb:cc:00:00:04', {}, null, 'x'))).toBe('409 conflict');
  });

  it('blocked: check-ins are answered with state blocked and nothing to do; unblock restores', () => {
    const token = registerDevice(h, 'aa:bb:cc:00:00:05');
    h.services.devices.block('aa:bb:cc:00:00:05', 'admin');
    expect(code(() => h.services.commands.enqueue('aa:bb:cc:00:00:05', { name: 'x', args: {}, ttlSeconds: 60 }, 'admin'))).toBe('409 conflict');
    expect(h.services.protocol.checkin('aa:bb:cc:00:00:05', token, { cfgsn: 0 }, 'x')).toEqual({
      state: 'blocked', cfgsn: 1, commands: [], interval: 30,
    });
    expect(code(() => h.services.protocol.firmwareFor('aa:bb:cc:00:00:05', token, 1))).toBe('403 forbidden');
    expect(h.services.devices.get('aa:bb:cc:00:00:05').status).toBe('blocked');
    h.services.devices.unblock('aa:bb:cc:00:00:05', 'admin');
    expect(h.services.protocol.checkin('aa:bb:cc:00:00:05', token, { cfgsn: 0 }, 'x')).toMatchObject({ state: 'active', config: {} });
    expect(h.services.events.list({ limit: 20 }).map((e) => e.kind)).toEqual(expect.arrayContaining(['blocked', 'unblocked']));
  });

  it('legacy: registers, returns the stored row, serves config; unknown → NOK; switched off → forbidden', () => {
    expect(h.services.protocol.legacyConfig('legacy-99', 'x')).toEqual({ status: 'NOK', message: 'Device NOT Registered' });
    expect(h.services.protocol.legacyRegister('Legacy-01', { ipaddr: '10.0.0.9', ssid: 'w' }, 'x')).toEqual({
      status: 'OK', message: 'Device Registed', id: 'legacy-01', ipaddr: '10.0.0.9', ssid: 'w', state: 'active', cfgsn: 1,
    });
    expect(h.services.protocol.legacyRegister('legacy-01', { ssid: 'w2' }, 'x')).toMatchObject({ ipaddr: '10.0.0.9', ssid: 'w2' });
    h.services.config.setDeviceOverrides('legacy-01', { led: 1 }, 'admin');
    expect(h.services.protocol.legacyConfig('legacy-01', 'x')).toEqual({ cfgsn: 2, data: { led: 1 } });
    expect(h.services.devices.get('legacy-01')).toMatchObject({ protocol: 'legacy', inSync: true, status: 'online' });
    // a v1 device cannot be read through the unauthenticated legacy calls
    registerDevice(h, 'aa:bb:cc:00:00:06');
    expect(code(() => h.services.protocol.legacyConfig('aa:bb:cc:00:00:06', 'x'))).toBe('403 forbidden');
    h.services.settings.patch({ legacyProtocol: false }, 'admin');
    expect(code(() => h.services.protocol.legacyConfig('legacy-01', 'x'))).toBe('403 forbidden');
    expect(code(() => h.services.protocol.legacyRegister('legacy-02', {}, 'x'))).toBe('403 forbidden');
  });

  it('deleted devices are unknown again and register anew with a cfgsn above any they had', () => {
    const token = registerDevice(h, 'aa:bb:cc:00:00:07');
    h.services.config.setDeviceOverrides('aa:bb:cc:00:00:07', { a: 1 }, 'admin');
    h.services.config.setDeviceOverrides('aa:bb:cc:00:00:07', { a: 2 }, 'admin');
    h.services.devices.remove('aa:bb:cc:00:00:07', 'admin');
    expect(code(() => h.services.protocol.checkin('aa:bb:cc:00:00:07', token, {}, 'x'))).toBe('401 unauthorized');
    const again = h.services.protocol.register('aa:bb:cc:00:00:07', {}, token, 'x');
    expect(again.status).toBe(201);
    expect(again.reply.cfgsn).toBe(4);
  });
});
