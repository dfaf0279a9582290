/**
 * One data directory, one server: a second fleet on the same directory refuses to start and names
 * the running one; a lock left by a killed process is taken over; two directories run side by side.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError } from '../../src/main/core';
import { makeTempDataDir, startTestFleet, type TestFleet } from '../helpers/fleet';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const started: TestFleet[] = [];
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const t of started.splice(0)) await t.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = makeTempDataDir('fleetdesk-lock-');
  dirs.push(dir);
  return dir;
}

describe('data directory lock', () => {
  it('refuses a second fleet on the same directory, naming the running one', async () => {
    const dataDir = tempDir();
    const first = await startTestFleet({ dataDir });
    started.push(first);
    const second = startTestFleet({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    const err = (await second.catch((e: unknown) => e)) as DataDirLockedError;
    expect(err.message).toContain(`pid ${process.pid}`);
    expect(err.message).toContain(`device port ${first.fleet.deviceAddress.port}`);
    expect(err.message).toContain(`admin ${first.adminUrl}`);
    expect(err.message.split('\n')).toHaveLength(1);
    // the first one still serves
    expect((await first.admin('/api/server')).status).toBe(200);
  });

  it('releases the lock on stop, so the next start succeeds', async () => {
    const dataDir = tempDir();
    const first = await startTestFleet({ dataDir });
    await first.stop();
    expect(existsSync(join(dataDir, 'fleetdesk.lock'))).toBe(false);
    const again = await startTestFleet({ dataDir });
    started.push(again);
    expect((await again.admin('/api/server')).status).toBe(200);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dataDir = tempDir();
    // a real pid that has certainly exited
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    writeFileSync(join(dataDir, 'fleetdesk.lock'), JSON.stringify({ pid: deadPid, startedAt: 1, hostname: hostname(), devicePort: 1, adminUrl: 'http://127.0.0.1:1' }));
    const fleet = await startTestFleet({ dataDir });
    started.push(fleet);
    expect((await fleet.admin('/api/server')).status).toBe(200);
  });

  it('runs two fleets on two directories side by side', async () => {
    const a = await startTestFleet({ dataDir: tempDir() });
    started.push(a);
    const b = await startTestFleet({ dataDir: tempDir() });
    started.push(b);
    expect((await a.admin('/api/server')).status).toBe(200);
    expect((await b.admin('/api/server')).status).toBe(200);
  });

  it('the CLI prints one line naming the running server and exits non-zero', async () => {
    const dataDir = tempDir();
    const first = await startTestFleet({ dataDir });
    started.push(first);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/main/cli.ts'), '--data-dir', dataDir, '--device-port', '0', '--admin-port', '0', '--no-mdns'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`already in use by FleetDesk \\(pid ${process.pid}, started .*device port ${first.fleet.deviceAddress.port}`));
  });
});
