/**
 * Secrets stay secret: the admin token can come from the environment or a file (not only the
 * command line every local user can read), a short one is refused, and a generated enrollment
 * key is shown in Settings but never written to the log.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MIN_ADMIN_TOKEN_LENGTH } from '../../src/main/core';
import { makeTempDataDir } from '../helpers/fleet';
import { httpRequest } from '../helpers/http';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'a-long-enough-admin-token-for-tests-0123';
const dirs: string[] = [];
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Run { code: number | null; stdout: string; stderr: string; ready?: { adminUrl: string; adminToken: string } }

function withoutToken(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FLEETDESK_ADMIN_TOKEN: _ignored, ...rest } = env;
  return rest;
}

/** Starts the CLI; resolves at its ready line (then stops it when the test ends) or at its exit. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const dataDir = makeTempDataDir('fleetdesk-secrets-');
  dirs.push(dataDir);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/cli.ts'), '--data-dir', dataDir, '--device-port', '0', '--admin-port', '0', '--no-mdns', '--json', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...withoutToken(process.env), ...env } },
  );
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => ((run.code = code), resolve())));
  stops.push(async () => {
    if (run.code === null) child.kill('SIGTERM');
    await exited;
  });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      run.stdout = line;
      run.ready = JSON.parse(line) as Run['ready'];
      resolve(run);
    });
    void exited.then(() => resolve(run));
  });
}

describe('admin token', () => {
  it('comes from FLEETDESK_ADMIN_TOKEN', async () => {
    const run = await cli([], { FLEETDESK_ADMIN_TOKEN: TOKEN });
    expect(run.ready?.adminToken).toBe(TOKEN);
    const res = await httpRequest(run.ready!.adminUrl, '/api/settings', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
  });

  it('comes from --admin-token-file', async () => {
    const dir = makeTempDataDir('fleetdesk-token-');
    dirs.push(dir);
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
    const run = await cli(['--admin-token-file', join(dir, 'token')]);
    expect(run.ready?.adminToken).toBe(TOKEN);
  });

  it('is refused when short, naming the minimum', async () => {
    const run = await cli([], { FLEETDESK_ADMIN_TOKEN: 'short-token' });
    expect(run.code).not.toBe(0);
    expect(run.ready).toBeUndefined();
    expect(run.stderr).toContain(`at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  });
});

describe('enrollment key', () => {
  it('a generated key is in Settings and nowhere in the log', async () => {
    const run = await cli(['--policy', 'key'], { FLEETDESK_ADMIN_TOKEN: TOKEN, FLEETDESK_LOG_LEVEL: 'debug' });
    const settings = await httpRequest(run.ready!.adminUrl, '/api/settings', { headers: { Authorization: `Bearer ${TOKEN}` } });
    const key = settings.json.enrollmentKey as string;
    expect(key.length).toBeGreaterThanOrEqual(12);
    expect(run.stderr).toContain('generated an enrollment key');
    expect(run.stderr).not.toContain(key);
  });
});
