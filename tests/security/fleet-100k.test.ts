/**
 * Never a crash loop: a database of 100 000 devices (written with SQL, not 100 000 HTTP calls)
 * starts through the same start script operators use (`npm run serve`, built server, its heap
 * flags) and serves check-ins and the admin list.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src/main/data-dir';
// @ts-expect-error -- a plain .mjs launcher script without type declarations
import { defaultDataDir as launcherDefaultDataDir, heapMbFor } from '../../scripts/heap.mjs';
import { generateFleetDatabase, macOfIndex, tokenOfIndex } from '../helpers/generated-fleet';
import { bearer, makeTempDataDir } from '../helpers/fleet';
import { httpRequest } from '../helpers/http';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEVICES = 100_000;
const TOKEN = 'fleet-100k-admin-token-0123456789abcdef';
const dataDir = makeTempDataDir('fleetdesk-100k-');
let child: ChildProcess | null = null;

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('100 000 devices', () => {
  it('the launcher finds the same default data dir as the app', () => {
    expect(launcherDefaultDataDir()).toBe(defaultDataDir());
    expect(heapMbFor(0)).toBe(128);
    expect(heapMbFor(DEVICES)).toBeGreaterThan(128);
  });

  it('start with the start script and serve', async () => {
    generateFleetDatabase(dataDir, DEVICES);
    child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--headless', '--data-dir', dataDir, '--device-port', '0', '--admin-port', '0', '--no-mdns', '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FLEETDESK_ADMIN_TOKEN: TOKEN },
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const ready = await new Promise<{ deviceUrl: string; adminUrl: string }>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        if (line.startsWith('{')) resolve(JSON.parse(line) as { deviceUrl: string; adminUrl: string });
      });
      child!.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal}) before it was ready:\n${stderr}`)));
    });
    for (const n of [0, DEVICES / 2, DEVICES - 1]) {
      const res = await httpRequest(ready.deviceUrl, `/api/v1/devices/${macOfIndex(n)}/checkin`, { headers: bearer(tokenOfIndex(n)), body: { cfgsn: 1, rssi: -55 } });
      expect(res.status).toBe(200);
      expect(res.json.state).toBe('active');
    }
    const list = await httpRequest(ready.adminUrl, '/api/devices?limit=5', { headers: bearer(TOKEN) });
    expect(list.status).toBe(200);
    expect(list.json.total).toBe(DEVICES);
  }, 240_000);
});
