/** Admin sessions expire (idle and absolute), can be ended with a logout, and their table is bounded. */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SESSIONS, SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from '../../src/main/core/http/admin/auth';
import { testClock } from '../unit/core/fixture';
import { startTestFleet, type TestFleet } from '../helpers/fleet';
import { httpRequest } from '../helpers/http';

let t: TestFleet | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

const HOUR = 3_600_000;

async function withSession(fleet: TestFleet, path: string, method = 'GET', session = fleet.fleet.createSession()) {
  return httpRequest(fleet.adminUrl, path, { method, headers: { Cookie: `${session.name}=${session.value}` } });
}

describe('admin sessions', () => {
  it('expire after being idle', async () => {
    const clock = testClock(Date.now());
    t = await startTestFleet({ clock });
    const session = t.fleet.createSession();
    expect((await withSession(t, '/api/settings', 'GET', session)).status).toBe(200);
    clock.advance(SESSION_IDLE_MS - 1000);
    expect((await withSession(t, '/api/settings', 'GET', session)).status).toBe(200);
    clock.advance(SESSION_IDLE_MS + 1);
    expect((await withSession(t, '/api/settings', 'GET', session)).status).toBe(401);
  });

  it('expire at their absolute age even when used all along', async () => {
    const clock = testClock(Date.now());
    t = await startTestFleet({ clock });
    const session = t.fleet.createSession();
    for (let used = 0; used < SESSION_MAX_AGE_MS - HOUR; used += HOUR) {
      clock.advance(HOUR);
      expect((await withSession(t, '/api/settings', 'GET', session)).status).toBe(200);
    }
    clock.advance(2 * HOUR);
    expect((await withSession(t, '/api/settings', 'GET', session)).status).toBe(401);
  }, 120_000);

  it('end with a logout', async () => {
    t = await startTestFleet();
    const session = t.fleet.createSession();
    expect((await withSession(t, '/api/session/logout', 'POST', session)).status).toBe(204);
    expect((await withSession(t, '/api/settings', 'GET', session)).status).toBe(401);
  });

  it('are bounded: beyond the cap the least recently used goes', async () => {
    t = await startTestFleet();
    const first = t.fleet.createSession();
    const kept = t.fleet.createSession();
    for (let n = 0; n < MAX_SESSIONS - 2; n++) t.fleet.createSession();
    expect((await withSession(t, '/api/settings', 'GET', kept)).status).toBe(200); // used: the most recent now
    t.fleet.createSession();
    expect((await withSession(t, '/api/settings', 'GET', first)).status).toBe(401);
    expect((await withSession(t, '/api/settings', 'GET', kept)).status).toBe(200);
  });
});
