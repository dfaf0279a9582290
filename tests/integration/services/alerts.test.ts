import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertRuleInputSchema } from '../../../src/shared/api/alerts';
import { backoffMs } from '../../../src/main/core/services/alerts/delivery-queue';
import { type Harness, makeHarness, registerDevice } from '../../unit/core/fixture';

let h: Harness;
const A = 'aa:bb:cc:00:00:01';
const B = 'aa:bb:cc:00:00:02';
const tokens: Record<string, string> = {};
const INTERVAL_MS = 30_000; // the default check-in interval

beforeEach(() => {
  h = makeHarness();
  tokens[A] = registerDevice(h, A);
  tokens[B] = registerDevice(h, B);
});
afterEach(() => h.close());

const rule = (input: Record<string, unknown>) => h.services.alerts.createRule(AlertRuleInputSchema.parse(input));
const checkin = (id: string, body: Record<string, unknown> = {}) => h.services.protocol.checkin(id, tokens[id]!, body, '192.0.2.1');
/** advance the clock by one interval, the devices named checking in, then one status tick */
const step = (...checkingIn: string[]) => {
  h.clock.advance(INTERVAL_MS);
  for (const id of checkingIn) checkin(id);
  h.services.tick();
};
const firing = () => h.services.alerts.overview().firing.map((a) => [a.deviceId, a.ruleKind, a.silent]);
const alertEvents = () => h.services.events.list({ limit: 100 }).filter((e) => e.kind.startsWith('alert_')).map((e) => [e.kind, e.deviceId]).reverse();

describe('offline rule', () => {
  it('fires after N missed check-ins, not before, and recovers only after M good ones in a row', () => {
    rule({ kind: 'offline', missedCheckins: 3, recoverAfter: 2, scope: { all: true } });
    step(A, B);
    step(B);
    step(B);
    step(B);
    expect(firing()).toEqual([]); // A is 90 s silent: 3 intervals, 2 missed (a check-in counts as missed half an interval late)
    step(B);
    expect(firing()).toEqual([[A, 'offline', false]]);
    expect(h.services.alerts.overview().firing[0]!.value).toBe(3);
    step(A, B); // one good check-in: still firing
    expect(firing()).toEqual([[A, 'offline', false]]);
    step(B);
    step(B); // a check-in missed again before recovering: the good count starts over
    step(A, B);
    expect(firing()).toEqual([[A, 'offline', false]]);
    step(A, B);
    expect(firing()).toEqual([]);
    expect(alertEvents()).toEqual([['alert_firing', A], ['alert_resolved', A]]);
    const list = h.services.alerts.notifications();
    expect(list.unread).toBe(2);
    expect(list.items.map((n) => n.state)).toEqual(['resolved', 'firing']);
    expect(h.services.alerts.markRead()).toBe(0);
  });

  it('scopes: a profile, a tag, a list of devices', () => {
    const profile = h.services.profiles.create({ name: 'sensors', description: '', defaults: {} }, 'admin');
    h.services.devices.patch(A, { profileId: profile.id }, 'admin');
    h.services.devices.patch(B, { tags: ['garage'] }, 'admin');
    rule({ kind: 'offline', name: 'by profile', missedCheckins: 1, scope: { profileId: profile.id } });
    rule({ kind: 'offline', name: 'by tag', missedCheckins: 1, scope: { tag: 'garage' } });
    rule({ kind: 'offline', name: 'by device', missedCheckins: 1, scope: { devices: [B.toUpperCase()] } });
    h.clock.advance(INTERVAL_MS * 2);
    h.services.tick();
    const open = h.services.alerts.overview().firing.map((a) => `${a.ruleName}:${a.deviceId}`).sort();
    expect(open).toEqual([`by device:${B}`, `by profile:${A}`, `by tag:${B}`]);
  });

  it('a muted device raises nothing, and nothing once unmuted while still down; it recovers silently', () => {
    rule({ kind: 'offline', missedCheckins: 1, scope: { all: true } });
    h.services.alerts.setMuted(A, true, 'admin');
    h.clock.advance(INTERVAL_MS * 2);
    h.services.tick();
    expect(firing()).toEqual([[A, 'offline', true], [B, 'offline', false]].sort());
    h.services.alerts.setMuted(A, false, 'admin');
    step();
    expect(alertEvents()).toEqual([['alert_firing', B]]);
    step(A);
    expect(alertEvents()).toEqual([['alert_firing', B]]);
    expect(h.services.alerts.device(A)).toEqual({ muted: false, firing: [] });
    expect(h.services.alerts.notifications().items.every((n) => n.deviceId === B)).toBe(true);
  });

  it('a maintenance window covers its scope while it lasts; an alert opened inside it does not fire when it ends', () => {
    rule({ kind: 'offline', missedCheckins: 1, scope: { all: true } });
    const now = h.clock.now();
    h.services.alerts.createWindow({ name: 'flash day', startsAt: now, endsAt: now + 3 * INTERVAL_MS, scope: { devices: [A] } });
    step(B);
    step(B);
    expect(firing()).toEqual([[A, 'offline', true]]);
    step(B);
    step(B); // the window is over; A is still down
    expect(alertEvents()).toEqual([]);
    // a new outage after the window is told
    step(A, B);
    step(B);
    step(B);
    expect(alertEvents()).toEqual([['alert_firing', A]]);
  });

  it('open alerts survive a restart: no second firing', () => {
    rule({ kind: 'offline', missedCheckins: 1, scope: { all: true } });
    step(B);
    step(B);
    expect(alertEvents()).toEqual([['alert_firing', A]]);
    h.restart();
    h.services.tick();
    expect(firing()).toEqual([[A, 'offline', false]]);
    expect(alertEvents()).toEqual([['alert_firing', A]]);
  });
});

describe('check-in rules', () => {
  it('signal below X after N check-ins, recovered after M', () => {
    rule({ kind: 'signal', belowDbm: -80, forCheckins: 2, recoverAfter: 1, scope: { all: true } });
    checkin(A, { rssi: -90 });
    h.services.tick();
    expect(firing()).toEqual([]);
    checkin(A, { rssi: -85 });
    h.services.tick();
    expect(h.services.alerts.overview().firing.map((a) => [a.deviceId, a.value])).toEqual([[A, -85]]);
    checkin(A, { rssi: -60 });
    h.services.tick();
    expect(firing()).toEqual([]);
  });

  it('heap below Y', () => {
    rule({ kind: 'heap', belowBytes: 8000, scope: { devices: [B] } });
    checkin(A, { heap: 100 });
    checkin(B, { heap: 7999 });
    h.services.tick();
    expect(firing()).toEqual([[B, 'heap', false]]);
  });

  it('reboot loop: K uptime decreases within the window; resolved once they age out of it', () => {
    rule({ kind: 'reboot_loop', reboots: 2, windowMinutes: 10, scope: { all: true } });
    for (const uptime of [500, 10, 600, 5]) {
      h.clock.advance(1000);
      checkin(A, { uptime });
      h.services.tick();
    }
    expect(h.services.alerts.overview().firing.map((a) => [a.deviceId, a.ruleKind, a.value])).toEqual([[A, 'reboot_loop', 2]]);
    h.clock.advance(10 * 60_000);
    checkin(A, { uptime: 700 });
    h.services.tick();
    expect(firing()).toEqual([]);
  });

  it('a deleted device that registers again starts with no reboots remembered', () => {
    rule({ kind: 'reboot_loop', reboots: 2, windowMinutes: 10, scope: { all: true } });
    checkin(A, { uptime: 500 });
    checkin(A, { uptime: 10 });
    h.services.tick();
    h.services.devices.remove(A, 'admin');
    h.services.alerts.engine.sweep(); // the status tick does it once a minute
    tokens[A] = registerDevice(h, A);
    checkin(A, { uptime: 900 });
    checkin(A, { uptime: 5 });
    h.services.tick();
    expect(firing()).toEqual([]);
  });

  it('version drift from the firmware of the profile', () => {
    rule({ kind: 'version_drift', scope: { all: true } });
    const profile = h.services.profiles.create({ name: 'p', description: '', defaults: {} }, 'admin');
    h.services.devices.patch(A, { profileId: profile.id }, 'admin');
    // an image's metadata row is all the rule reads (memory is loaded from the database at start)
    h.db.prepare(`INSERT INTO firmware (id, name, version, size, md5, sha256, author, created_at) VALUES (7, 'app', '2.0.0', 1, 'x', 'y', 'test', 0)`).run();
    h.db.prepare('UPDATE profiles SET firmware_id = 7 WHERE id = ?').run(profile.id);
    h.restart();
    h.services.protocol.checkin(A, tokens[A]!, { fw: { name: 'app', version: '1.0.0' } }, 'x');
    h.services.tick();
    expect(h.services.alerts.overview().firing.map((a) => [a.ruleKind, a.value])).toEqual([['version_drift', '1.0.0']]);
  });

  it('config not applied within T', () => {
    rule({ kind: 'config_pending', withinSeconds: 60, scope: { all: true } });
    checkin(A, { cfgsn: 0 });
    h.services.config.setDeviceOverrides(A, { x: 1 }, 'admin');
    const cfgsn = h.services.devices.get(A).cfgsn;
    h.services.tick();
    h.clock.advance(59_000);
    h.services.tick();
    expect(firing().filter(([d]) => d === A)).toEqual([]);
    h.clock.advance(1000);
    h.services.tick();
    expect(firing().filter(([d]) => d === A)).toEqual([[A, 'config_pending', false]]);
    checkin(A, { cfgsn });
    h.services.tick();
    expect(firing().filter(([d]) => d === A)).toEqual([]);
  });
});

describe('admin rules', () => {
  it('refuses a channel that does not exist and a patch of another kind', () => {
    expect(() => rule({ kind: 'offline', missedCheckins: 1, scope: { all: true }, channels: [99] })).toThrow(/no alert channel 99/);
    const r = rule({ kind: 'offline', missedCheckins: 1, scope: { all: true } });
    expect(r.name).toBe('Offline');
    expect(() => h.services.alerts.updateRule(r.id, { belowDbm: -70 })).toThrow(/do not fit a offline rule/);
    expect(h.services.alerts.rules()).toHaveLength(1);
  });

  it('a deleted rule closes its open alerts without telling anyone', () => {
    const r = rule({ kind: 'offline', missedCheckins: 1, scope: { all: true } });
    step(B);
    step(B);
    h.services.alerts.deleteRule(r.id);
    h.services.tick();
    expect(firing()).toEqual([]);
    expect(alertEvents()).toEqual([['alert_firing', A]]);
  });
});

describe('delivery backoff', () => {
  it('waits 2 s, 8 s, 32 s, 128 s, then 5 min between attempts', () => {
    expect([1, 2, 3, 4, 5, 6].map(backoffMs)).toEqual([2000, 8000, 32_000, 128_000, 300_000, 300_000]);
  });
});

describe('desktop channel', () => {
  it('shows alerts through the shell\'s listener, at most a burst at a time; headless it logs why nothing was shown', async () => {
    const channel = h.services.alerts.createChannel({ kind: 'desktop', name: 'Desktop', enabled: true });
    expect((await h.services.alerts.testChannel(channel.id)).error).toMatch(/headless/);
    const shown: string[] = [];
    h.services.alerts.onDesktop((title, body) => shown.push(`${title}|${body}`));
    const ids = Array.from({ length: 7 }, (_, i) => `aa:bb:cc:00:01:${String(i).padStart(2, '0')}`);
    for (const id of ids) tokens[id] = registerDevice(h, id);
    rule({ kind: 'offline', missedCheckins: 1, scope: { devices: ids }, channels: [channel.id] });
    h.clock.advance(INTERVAL_MS * 2);
    h.services.tick();
    await h.services.alerts.pump();
    expect(shown).toHaveLength(5);
    expect(shown[0]).toBe('Alert: Offline|aa:bb:cc:00:01:00 missed 1 check-in (Offline)');
    const log = h.services.alerts.deliveries(channel.id);
    expect(log.filter((d) => !d.ok && /not shown/.test(d.error ?? ''))).toHaveLength(2);
  });
});
