/**
 * The audit log's filters and CSV export over real HTTP and SQLite: kind (one or several),
 * device, profile, time window, hide connectivity, paging, bad input, and each filter on an index.
 */
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate } from '../../../src/main/core/db/migrate';
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open';
import { createEventsRepo } from '../../../src/main/core/db/repos/events-repo';
import type { FleetEvent } from '../../../src/shared/api';
import { bearer, makeTempDataDir, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const A = 'aa:bb:cc:30:00:01';
const B = 'aa:bb:cc:30:00:02';
const C = 'aa:bb:cc:30:00:03';
const FORMULA_NAME = '=HYPERLINK("http://x")';

describe('events: filters and export', () => {
  let t: TestFleet;
  let now = T0;
  let profileId: number;
  const list = async (query: string): Promise<FleetEvent[]> => {
    const res = await t.admin(`/api/events?${query}`);
    expect(res.status, res.text).toBe(200);
    return res.json as FleetEvent[];
  };

  beforeAll(async () => {
    t = await startTestFleet({ clock: { now: () => now }, timers: { statusMs: 20, flushMs: 20 } });
    profileId = (await t.admin('/api/profiles', { body: { name: 'greenhouse' } })).json.id as number;
    const tokenA = await registerDevice(t, A);
    await registerDevice(t, B);
    await registerDevice(t, C);
    expect((await t.admin(`/api/devices/${A}`, { method: 'PATCH', body: { name: FORMULA_NAME, profileId } })).status).toBe(200);
    now = T0 + HOUR; // silent for an hour: the status timer takes all three offline
    await vi.waitFor(async () => expect(await list('kind=went_offline')).toHaveLength(3), { timeout: 10_000, interval: 20 });
    expect((await t.device(`/api/v1/devices/${A}/checkin`, { body: {}, headers: bearer(tokenA) })).status).toBe(200);
    now = T0 + 3 * HOUR;
    expect((await t.admin(`/api/devices/${B}/config`, { method: 'PUT', body: { overrides: { led: 'on' } } })).status).toBe(200);
    // A checked in at T0 + 1 h and is silent again: offline a second time
    await vi.waitFor(async () => expect(await list(`kind=went_offline&deviceId=${A}`)).toHaveLength(2), { timeout: 10_000, interval: 20 });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('filters by one kind or several', async () => {
    const registered = await list('kind=registered');
    expect(registered.map((e) => e.deviceId).sort()).toEqual([A, B, C]);
    const two = await list('kind=registered,went_offline');
    // three registrations, three devices offline at T0 + 1 h and A offline again at T0 + 3 h
    expect(two).toHaveLength(7);
    expect(new Set(two.map((e) => e.kind))).toEqual(new Set(['registered', 'went_offline']));
  });

  it('hides connectivity in one parameter and keeps everything else', async () => {
    const all = await list('limit=500');
    const hidden = await list('hideConnectivity=1&limit=500');
    expect(all.some((e) => e.kind === 'came_online')).toBe(true);
    expect(hidden.some((e) => ['came_online', 'went_late', 'went_offline'].includes(e.kind))).toBe(false);
    expect(hidden).toHaveLength(all.filter((e) => !['came_online', 'went_late', 'went_offline'].includes(e.kind)).length);
    expect(hidden.some((e) => e.kind === 'config_changed')).toBe(true);
  });

  it('filters by device (any spelling of the MAC) and by the devices of a profile', async () => {
    const ofA = await list(`deviceId=${A.toUpperCase().replaceAll(':', '-')}`);
    expect(ofA.length).toBeGreaterThanOrEqual(3);
    expect(ofA.every((e) => e.deviceId === A)).toBe(true);
    const ofProfile = await list(`profileId=${profileId}`);
    expect(ofProfile.map((e) => e.id)).toEqual(ofA.map((e) => e.id));
  });

  it('filters by time: since inclusive, until exclusive', async () => {
    const early = await list(`until=${T0 + 1}`);
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((e) => e.at === T0)).toBe(true);
    const late = await list(`since=${T0 + 2 * HOUR}`);
    expect(late.map((e) => `${e.kind} ${e.deviceId}`).sort()).toEqual([`config_changed ${B}`, `went_offline ${A}`]);
    const window = await list(`since=${T0 + HOUR}&until=${T0 + 2 * HOUR}&kind=went_offline,came_online`);
    expect(window.map((e) => e.kind).sort()).toEqual(['came_online', 'went_offline', 'went_offline', 'went_offline']);
    const untilOnly = await list(`until=${T0 + 2 * HOUR}&limit=500`);
    expect(untilOnly.every((e) => e.at < T0 + 2 * HOUR)).toBe(true);
    expect(untilOnly.some((e) => e.kind === 'came_online')).toBe(true);
  });

  it('pages with the id cursor without overlap', async () => {
    const all = await list('limit=500');
    const first = await list('limit=3');
    const second = await list(`limit=3&before=${first[2]!.id}`);
    expect([...first, ...second].map((e) => e.id)).toEqual(all.slice(0, 6).map((e) => e.id));
  });

  it('refuses bad filters with a 4xx envelope', async () => {
    for (const query of ['kind=DROP%20TABLE%20events', 'since=yesterday', 'profileId=-1', 'hideConnectivity=maybe', "deviceId=x'%20OR%201=1"]) {
      const res = await t.admin(`/api/events?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json.error.code, query).toBeTypeOf('string');
    }
    expect((await t.admin('/api/events/export?kind=Bad-Kind')).status).toBe(400);
  });

  it('exports the filtered list as CSV, formulas defused', async () => {
    const res = await t.admin(`/api/events/export?profileId=${profileId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="fleetdesk-events-\d{4}-\d\d-\d\d\.csv"/);
    const rows = parse<Record<string, string>>(res.text, { columns: true });
    const ofA = await list(`deviceId=${A}`);
    expect(rows.map((r) => Number(r.id))).toEqual(ofA.map((e) => e.id));
    expect(rows.every((r) => r.device === A && r.device_name === `'${FORMULA_NAME}`)).toBe(true);
    expect(rows.find((r) => r.kind === 'registered')?.time).toBe(new Date(T0).toISOString());
    expect(Object.keys(rows[0]!)).toEqual(['id', 'time', 'kind', 'device', 'device_name', 'message', 'count', 'data']);
  });
});

describe('events: a long export', () => {
  it('streams more rows than one page read, newest first, every row once', async () => {
    const dataDir = makeTempDataDir();
    const db = openDatabase(join(dataDir, 'fleetdesk.db'));
    migrate(db);
    const repo = createEventsRepo(db);
    db.transaction(() => {
      for (let id = 1; id <= 2_500; id++) {
        repo.insert({ id, at: T0 + id, kind: id % 2 ? 'went_offline' : 'config_changed', deviceId: A, message: `event ${id}`, data: { n: id }, count: 1 });
      }
    })();
    closeDatabase(db);
    const t = await startTestFleet({ dataDir });
    try {
      const res = await t.admin('/api/events/export?kind=config_changed');
      expect(res.status).toBe(200);
      const rows = parse<Record<string, string>>(res.text, { columns: true });
      const ids = rows.map((r) => Number(r.id));
      expect(ids).toHaveLength(1_250);
      expect(ids[0]).toBe(2_500);
      expect(ids.every((id, i) => id % 2 === 0 && (i === 0 || id < ids[i - 1]!))).toBe(true);
      expect(JSON.parse(rows[0]!.data!)).toEqual({ n: 2_500 });
    } finally {
      await t.dispose();
    }
  });
});

describe('events: every filter reads through an index', () => {
  it('plans each filter with an index, never a scan of the whole log', () => {
    const db = openDatabase(':memory:');
    try {
      migrate(db);
      const repo = createEventsRepo(db);
      // (no filter, or only "hide connectivity", walks newest-first and stops at the page: most rows match)
      const shapes = [
        { deviceId: 'x' }, { kinds: ['registered'] }, { profileId: 1 }, { since: 1 }, { until: 1 }, { since: 1, until: 2 },
        { before: 10 }, { since: 1, hideConnectivity: true }, { deviceId: 'x', since: 1 },
      ];
      for (const shape of shapes) {
        const plan = repo.plan({ ...shape, limit: 100 }).join(' | ');
        expect(plan, JSON.stringify(shape)).toMatch(/USING (INDEX|INTEGER PRIMARY KEY|COVERING INDEX)/);
        expect(plan, JSON.stringify(shape)).not.toMatch(/^SCAN events$|\| SCAN events( |$)/);
      }
    } finally {
      closeDatabase(db);
    }
  });
});
