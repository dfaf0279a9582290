/**
 * A fleet process killed with SIGKILL under check-in load keeps every admin change it acknowledged,
 * and its database passes PRAGMA integrity_check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, makeTempDataDir, startTestFleet } from '../helpers/fleet';
import { httpRequest } from '../helpers/http';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEVICES = 20;
const CHANGES = 40;

interface ChildInfo { deviceUrl: string; adminUrl: string; adminToken: string }

function startChild(dataDir: string): Promise<{ child: ChildProcess; info: ChildInfo }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/helpers/crash-child.ts'), dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve({ child, info: JSON.parse(line) as ChildInfo }));
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

const dataDir = makeTempDataDir('fleetdesk-crash-');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SIGKILL under load', () => {
  it('keeps every acknowledged admin change and an intact database', async () => {
    const { child, info } = await startChild(dataDir);
    const admin = (path: string, init: Parameters<typeof httpRequest>[2] = {}) =>
      httpRequest(info.adminUrl, path, { ...init, headers: { Authorization: `Bearer ${info.adminToken}`, ...init.headers } });

    const ids = Array.from({ length: DEVICES }, (_, i) => `aa:bb:cc:00:01:${String(i).padStart(2, '0')}`);
    const tokens: string[] = [];
    for (const id of ids) {
      const res = await httpRequest(info.deviceUrl, `/api/v1/devices/${id}/register`, { body: { ip: '10.0.0.1' } });
      expect(res.status).toBe(201);
      tokens.push(res.json.token);
    }

    // Check-in load: every device checks in back to back until the process dies.
    let loading = true;
    let checkins = 0;
    const load = ids.map(async (id, i) => {
      for (let n = 0; loading; n++) {
        try {
          await httpRequest(info.deviceUrl, `/api/v1/devices/${id}/checkin`, { headers: bearer(tokens[i]!), body: { rssi: -50 - (n % 30), uptime: n } });
          checkins++;
        } catch {
          return; // the server is gone
        }
      }
    });

    await expect.poll(() => checkins, { timeout: 5_000 }).toBeGreaterThan(DEVICES);
    const checkinsBeforeChanges = checkins;
    const acknowledged: { id: string; name: string; config: Record<string, number>; profile: string }[] = [];
    for (let step = 0; step < CHANGES; step++) {
      const id = ids[step % DEVICES]!;
      const name = `name ${step} 'quoted'`;
      const patch = await admin(`/api/devices/${id}`, { method: 'PATCH', body: { name } });
      const put = await admin(`/api/devices/${id}/config`, { method: 'PUT', body: { overrides: { step } } });
      const profile = await admin('/api/profiles', { body: { name: `profile ${step}` } });
      expect([patch.status, put.status, profile.status]).toEqual([200, 200, 201]);
      acknowledged.push({ id, name, config: { step }, profile: `profile ${step}` });
    }
    expect(checkins).toBeGreaterThan(checkinsBeforeChanges); // the changes happened under load

    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    loading = false;
    await Promise.all(load);

    const db = new Database(join(dataDir, 'fleetdesk.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }

    const reopened = await startTestFleet({ dataDir });
    try {
      const latest = new Map(acknowledged.map((change) => [change.id, change])); // the last change per device wins
      for (const [id, change] of latest) {
        const detail = (await reopened.admin(`/api/devices/${id}`)).json;
        expect(detail.name).toBe(change.name);
        expect((await reopened.admin(`/api/devices/${id}/config`)).json.overrides).toEqual(change.config);
      }
      const profiles = ((await reopened.admin('/api/profiles')).json as { name: string }[]).map((p) => p.name);
      for (const change of acknowledged) expect(profiles).toContain(change.profile);
      const history = (await reopened.admin(`/api/devices/${ids[0]}/config/history`)).json as unknown[];
      expect(history.length).toBeGreaterThanOrEqual(CHANGES / DEVICES);
    } finally {
      await reopened.stop();
    }
  });
});
