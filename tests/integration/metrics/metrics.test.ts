/**
 * GET /metrics over real HTTP: the fleet's numbers as Prometheus text (checked by promtool), the
 * admin listener's auth, and the optional LAN listener with its own token, off by default.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleet } from '../../../src/main/core';
import { METRICS_LAN_SCRAPES_PER_MINUTE } from '../../../src/main/core/http/metrics-lan';
import { bearer, makeTempDataDir, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';
import { httpRequest } from '../../helpers/http';
import { promtoolCheckMetrics } from '../../helpers/promtool';

const A = 'aa:bb:cc:20:00:01';
const B = 'aa:bb:cc:20:00:02';
const C = 'aa:bb:cc:20:00:03';
// everything Prometheus label values must escape, plus non-ASCII
const AWKWARD_NAME = 'kitchen "temp" \\ 2nd\nfloor ✓';
const METRICS_TOKEN = 'metrics-token-for-the-lan-0123456789';

/** The value of the one sample whose line starts with `series` (name plus its exact label text). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  let t: TestFleet;
  let body: string;

  beforeAll(async () => {
    t = await startTestFleet({ metricsLan: { host: '127.0.0.1', port: 0, token: METRICS_TOKEN } });
    const profile = await t.admin('/api/profiles', { body: { name: 'greenhouse', defaults: { period: 30 } } });
    expect(profile.status).toBe(201);
    const tokenA = await registerDevice(t, A);
    const tokenB = await registerDevice(t, B);
    await registerDevice(t, C);
    expect((await t.admin(`/api/devices/${A}`, { method: 'PATCH', body: { name: AWKWARD_NAME, profileId: profile.json.id } })).status).toBe(200);
    expect((await t.admin(`/api/devices/${B}/block`, { method: 'POST' })).status).toBe(200);
    const cfgsnA = (await t.admin(`/api/devices/${A}`)).json.cfgsn as number;
    const checkinA = await t.device(`/api/v1/devices/${A}/checkin`, { body: { cfgsn: cfgsnA, rssi: -61, heap: 31_000, uptime: 7_200 }, headers: bearer(tokenA) });
    expect(checkinA.status).toBe(200);
    // a refused check-in (blocked device still answers 200 with its state; a wrong token is refused)
    expect((await t.device(`/api/v1/devices/${C}/checkin`, { body: {}, headers: bearer('wrong-token-wrong-token') })).status).toBe(401);
    expect((await t.device(`/api/v1/devices/${B}/checkin`, { body: { rssi: -80 }, headers: bearer(tokenB) })).status).toBe(200);
    const res = await t.admin('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    body = res.text;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('counts devices by status and by profile', () => {
    expect(sample(body, 'fleetdesk_devices{status="online"}')).toBe(2);
    expect(sample(body, 'fleetdesk_devices{status="blocked"}')).toBe(1);
    expect(sample(body, 'fleetdesk_devices{status="offline"}')).toBe(0);
    expect(sample(body, 'fleetdesk_devices_by_profile{profile="greenhouse"}')).toBe(1);
    expect(sample(body, 'fleetdesk_devices_by_profile{profile=""}')).toBe(2);
  });

  it('gives each device its readings labelled by MAC and escaped name', () => {
    const a = `{mac="${A}",name="kitchen \\"temp\\" \\\\ 2nd\\nfloor ✓"}`;
    expect(sample(body, `fleetdesk_device_rssi_dbm${a}`)).toBe(-61);
    expect(sample(body, `fleetdesk_device_heap_free_bytes${a}`)).toBe(31_000);
    expect(sample(body, `fleetdesk_device_uptime_seconds${a}`)).toBe(7_200);
    expect(sample(body, `fleetdesk_device_config_in_sync${a}`)).toBe(1);
    expect(sample(body, `fleetdesk_device_online${a}`)).toBe(1);
    const seen = sample(body, `fleetdesk_device_last_seen_timestamp_seconds${a}`)!;
    expect(Math.abs(seen - Date.now() / 1000)).toBeLessThan(60);
    // C never reported readings: no made-up zero, and it never applied its config
    expect(body).not.toContain(`fleetdesk_device_rssi_dbm{mac="${C}"`);
    expect(sample(body, `fleetdesk_device_config_in_sync{mac="${C}",name=""}`)).toBe(0);
    expect(sample(body, `fleetdesk_device_online{mac="${B}",name=""}`)).toBe(0);
  });

  it('counts answered check-ins and registrations, not refused ones', () => {
    expect(sample(body, 'fleetdesk_checkins_total{protocol="v1"}')).toBe(2);
    expect(sample(body, 'fleetdesk_registrations_total{protocol="v1"}')).toBe(3);
    expect(sample(body, 'fleetdesk_checkins_total{protocol="legacy"}')).toBe(0);
  });

  it('includes the alert and rollout families, at zero on a quiet fleet', () => {
    expect(sample(body, 'fleetdesk_alerts_firing{silenced="false"}')).toBe(0);
    expect(sample(body, 'fleetdesk_alert_deliveries_queued')).toBe(0);
    expect(sample(body, 'fleetdesk_rollouts{state="running"}')).toBe(0);
    expect(body).toContain('# TYPE fleetdesk_alert_deliveries_total counter');
    expect(body).toContain('# TYPE fleetdesk_rollout_devices gauge');
  });

  it('includes the process metrics', () => {
    expect(body).toMatch(/^process_cpu_seconds_total \d/m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    expect(body).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('passes promtool check metrics', () => {
    const result = promtoolCheckMetrics(body);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('promtool does judge: a broken exposition fails it', () => {
    const broken = promtoolCheckMetrics('# TYPE fleetdesk_x counter\nfleetdesk_x{a="1" 3\n');
    expect(broken.status).not.toBe(0);
  });

  it('refuses the admin /metrics without the token or session, and a foreign Host', async () => {
    const none = await httpRequest(t.adminUrl, '/metrics');
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('unauthorized');
    const wrong = await httpRequest(t.adminUrl, '/metrics', { headers: bearer(METRICS_TOKEN) });
    expect(wrong.status).toBe(401);
    const rebound = await t.admin('/metrics', { headers: { Host: 'evil.example:80' } });
    expect(rebound.status).toBe(403);
  });

  it('serves the same metrics on the LAN listener with its own token only', async () => {
    const lan = `http://127.0.0.1:${t.fleet.metricsLanAddress!.port}`;
    const ok = await httpRequest(lan, '/metrics', { headers: bearer(METRICS_TOKEN) });
    expect(ok.status).toBe(200);
    expect(sample(ok.text, 'fleetdesk_devices{status="online"}')).toBe(2);
    expect(promtoolCheckMetrics(ok.text).status).toBe(0);

    const none = await httpRequest(lan, '/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    // the admin token is never accepted on the LAN
    expect((await httpRequest(lan, '/metrics', { headers: bearer(t.fleet.adminToken) })).status).toBe(401);
    // nothing else is served there, not even with the token
    expect((await httpRequest(lan, '/api/devices', { headers: bearer(METRICS_TOKEN) })).status).toBe(404);
    expect((await httpRequest(lan, '/metrics', { method: 'POST', headers: bearer(METRICS_TOKEN), body: {} })).status).toBe(404);
  });

  it('limits scrapes per client on the LAN listener', async () => {
    const lan = `http://127.0.0.1:${t.fleet.metricsLanAddress!.port}`;
    const statuses: number[] = [];
    // the earlier test spent a few of this minute's requests already
    for (let i = 0; i < METRICS_LAN_SCRAPES_PER_MINUTE; i++) {
      statuses.push((await httpRequest(lan, '/nothing', { headers: bearer(METRICS_TOKEN) })).status);
    }
    const limited = statuses.indexOf(429);
    expect(limited).toBeGreaterThan(0);
    expect(statuses.slice(limited).every((s) => s === 429)).toBe(true);
    const refused = await httpRequest(lan, '/metrics', { headers: bearer(METRICS_TOKEN) });
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('rate_limited');
  });
});

describe('the LAN metrics listener', () => {
  it('is off by default', async () => {
    const t = await startTestFleet();
    try {
      expect(t.fleet.metricsLanAddress).toBeNull();
    } finally {
      await t.dispose();
    }
  });

  it('refuses a short token before anything starts', () => {
    const dataDir = makeTempDataDir();
    try {
      expect(() => createFleet({ dataDir, mdns: false, metricsLan: { port: 0, token: 'short' } })).toThrow(/at least 24 characters/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
