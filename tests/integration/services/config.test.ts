import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, makeHarness, registerDevice } from '../../unit/core/fixture';

let h: Harness;
let token: string;
const D = 'aa:bb:cc:00:00:01';
beforeEach(() => {
  h = makeHarness();
  token = registerDevice(h, D);
});
afterEach(() => h.close());

const checkin = (cfgsn?: number) => h.services.protocol.checkin(D, token, cfgsn === undefined ? {} : { cfgsn }, 'x');
const kinds = () => h.services.events.list({ limit: 100 }).map((e) => e.kind);

describe('config', () => {
  it('effective = profile defaults ⊕ overrides (top-level), with sources', () => {
    const p = h.services.profiles.create({ name: 'lamps', description: '', defaults: { led: true, period: 10, pins: { a: 1 } } }, 'admin');
    h.services.devices.patch(D, { profileId: p.id }, 'admin');
    const view = h.services.config.setDeviceOverrides(D, { period: 30, pins: { b: 2 } }, 'admin');
    expect(view.effective).toEqual({ led: true, period: 30, pins: { b: 2 } });
    expect(view.sources).toEqual({ led: 'default', period: 'override', pins: 'override' });
    expect(view.defaults).toEqual({ led: true, period: 10, pins: { a: 1 } });
  });

  it('cfgsn rises on every effective change and only then; config is sent only while behind', () => {
    expect(checkin(0)).toMatchObject({ cfgsn: 1, config: {} });
    expect(checkin(1).config).toBeUndefined();
    expect(h.services.config.setDeviceOverrides(D, { a: 1 }, 'admin').cfgsn).toBe(2);
    expect(h.services.config.setDeviceOverrides(D, { a: 1 }, 'admin').cfgsn).toBe(2); // no-op
    expect(h.services.config.setDeviceOverrides(D, { a: 1, b: 'x' }, 'admin').cfgsn).toBe(3);
    expect(checkin(1)).toMatchObject({ cfgsn: 3, config: { a: 1, b: 'x' } });
    expect(h.services.config.forDevice(D)).toMatchObject({ cfgsnReported: 1, inSync: false });
    expect(checkin(3).config).toBeUndefined();
    expect(h.services.config.forDevice(D)).toMatchObject({ cfgsnReported: 3, inSync: true });
  });

  it('config_applied is an event once, when the device first reports the current cfgsn', () => {
    h.services.config.setDeviceOverrides(D, { a: 1 }, 'admin');
    checkin(1);
    checkin(2);
    checkin(2);
    checkin(2);
    expect(kinds().filter((k) => k === 'config_applied')).toHaveLength(1);
    expect(h.services.devices.get(D).inSync).toBe(true);
  });

  it('every change is a revision with author, time, before, after, reason; restore is a new revision and a new cfgsn', () => {
    h.clock.advance(1000);
    h.services.config.setDeviceOverrides(D, { a: 1 }, 'admin');
    h.clock.advance(1000);
    h.services.config.setDeviceOverrides(D, { a: 2 }, 'api', 'tuning');
    const history = h.services.config.history({ deviceId: D });
    expect(history.map((r) => [r.before, r.after, r.author, r.reason])).toEqual([
      [{ a: 1 }, { a: 2 }, 'api', 'tuning'],
      [{}, { a: 1 }, 'admin', 'edit'],
    ]);
    expect(history[0]!.at).toBe(h.clock.now());
    const restored = h.services.config.restore(history[1]!.id, 'admin');
    expect(restored).toMatchObject({ before: { a: 2 }, after: { a: 1 }, reason: `restore of #${history[1]!.id}` });
    expect(h.services.config.forDevice(D)).toMatchObject({ overrides: { a: 1 }, cfgsn: 4 });
    // restoring the very first state (empty) is also a new cfgsn, never an old one
    h.services.config.restore(history[1]!.id, 'admin'); // no effective change: same cfgsn
    expect(h.services.config.forDevice(D).cfgsn).toBe(4);
    expect(() => h.services.config.restore(9999, 'admin')).toThrow(/no config revision/);
  });

  it('a profile defaults change bumps exactly the devices whose effective config changed', () => {
    const other = registerDevice(h, 'aa:bb:cc:00:00:02');
    registerDevice(h, 'aa:bb:cc:00:00:03'); // not in the profile
    const p = h.services.profiles.create({ name: 'p', description: '', defaults: { led: true } }, 'admin');
    h.services.devices.patch(D, { profileId: p.id }, 'admin');
    h.services.devices.patch('aa:bb:cc:00:00:02', { profileId: p.id }, 'admin');
    h.services.config.setDeviceOverrides('aa:bb:cc:00:00:02', { period: 5 }, 'admin');
    const before = [D, 'aa:bb:cc:00:00:02', 'aa:bb:cc:00:00:03'].map((id) => h.services.config.forDevice(id).cfgsn);
    h.services.config.setProfileDefaults(p.id, { led: true, period: 10 }, 'admin'); // period is overridden on :02
    const after = [D, 'aa:bb:cc:00:00:02', 'aa:bb:cc:00:00:03'].map((id) => h.services.config.forDevice(id).cfgsn);
    expect(after).toEqual([before[0]! + 1, before[1], before[2]]);
    expect(h.services.protocol.checkin('aa:bb:cc:00:00:02', other, { cfgsn: before[1] }, 'x').config).toBeUndefined();
    expect(h.services.config.history({ profileId: p.id }).map((r) => r.after)).toEqual([{ led: true, period: 10 }, { led: true }]);
    expect(h.services.profiles.get(p.id)).toMatchObject({ deviceCount: 2, defaults: { led: true, period: 10 } });
  });

  it('deleting a profile detaches its devices, which keep overrides, lose defaults and bump cfgsn', () => {
    const p = h.services.profiles.create({ name: 'p', description: '', defaults: { led: true } }, 'admin');
    h.services.devices.patch(D, { profileId: p.id }, 'admin');
    h.services.config.setDeviceOverrides(D, { x: 1 }, 'admin');
    const cfgsn = h.services.config.forDevice(D).cfgsn;
    expect(h.services.profiles.remove(p.id, 'admin')).toEqual({ devicesDetached: 1 });
    expect(h.services.config.forDevice(D)).toMatchObject({ defaults: {}, overrides: { x: 1 }, effective: { x: 1 }, cfgsn: cfgsn + 1 });
    expect(h.services.devices.get(D).profileId).toBeNull();
    h.restart(); // and the database agrees
    expect(h.services.config.forDevice(D)).toMatchObject({ effective: { x: 1 }, cfgsn: cfgsn + 1 });
    expect(h.services.devices.get(D).profileId).toBeNull();
  });

  it('cfgsn survives a restart and keeps rising from there', () => {
    h.services.config.setDeviceOverrides(D, { a: 1 }, 'admin');
    h.restart();
    expect(h.services.config.setDeviceOverrides(D, { a: 2 }, 'admin').cfgsn).toBe(3);
  });

  it('profile names are unique; unknown profiles are not_found', () => {
    h.services.profiles.create({ name: 'p', description: '', defaults: {} }, 'admin');
    expect(() => h.services.profiles.create({ name: 'p', description: '', defaults: {} }, 'admin')).toThrow(/already exists/);
    expect(() => h.services.devices.patch(D, { profileId: 999 }, 'admin')).toThrow(/no profile/);
    expect(() => h.services.config.setProfileDefaults(999, {}, 'admin')).toThrow(/no profile/);
  });

  it('a config change wakes a waiting long-poll of that device only', async () => {
    const other = 'aa:bb:cc:00:00:02';
    registerDevice(h, other);
    const controller = new AbortController();
    let woke = '';
    const mine = h.services.protocol.waitForChange(D, 10_000, controller.signal).then(() => (woke += 'mine'));
    const theirs = h.services.protocol.waitForChange(other, 10_000, controller.signal).then(() => (woke += 'theirs'));
    h.services.config.setDeviceOverrides(D, { a: 1 }, 'admin');
    await mine;
    expect(woke).toBe('mine');
    controller.abort();
    await theirs;
  });
});
