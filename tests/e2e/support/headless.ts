/**
 * Starts the headless FleetDesk app (the same core the desktop shell runs) on loopback with a
 * fresh data dir, and waits for its one-line JSON "ready" report. Used by the e2e global setup,
 * the renderer store tests and the 10k-device UI benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface HeadlessApp {
  deviceUrl: string;
  adminUrl: string;
  loginUrl: string;
  adminToken: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** 'built' runs out/main/cli.js (needs `electron-vite build`); 'source' runs src/main/cli.ts through tsx */
  entry?: 'built' | 'source';
  dataDir?: string;
  adminPort?: number;
  adminToken?: string;
  extraArgs?: string[];
  /** keep the data dir after stop (restart tests) */
  keepData?: boolean;
}

export const repoRoot = resolve(import.meta.dirname, '../../..');

export async function startHeadless(options: StartOptions = {}): Promise<HeadlessApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fleetdesk-ui-'));
  const args = [
    '--data-dir', dataDir, '--device-port', '0', '--admin-port', String(options.adminPort ?? 0),
    '--bind', '127.0.0.1', '--no-mdns', '--json',
    ...(options.adminToken ? ['--admin-token', options.adminToken] : []),
    ...(options.extraArgs ?? []),
  ];
  const child: ChildProcess = options.entry === 'source'
    ? spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/main/cli.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [join(repoRoot, 'out/main/cli.js'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const ready = await new Promise<Record<string, string>>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`headless app not ready within 60 s\n${stderr}`)), 60_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const parsed = JSON.parse(line) as Record<string, string>;
        if (parsed.event === 'ready') {
          clearTimeout(timer);
          done(parsed);
        }
      } catch {
        // log lines that are not JSON objects are not the ready line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`headless app exited (${code}) before ready\n${stderr}`));
    });
  });

  return {
    deviceUrl: ready.deviceUrl!,
    adminUrl: ready.adminUrl!,
    loginUrl: ready.loginUrl!,
    adminToken: ready.adminToken!,
    dataDir,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killTimer);
      }
      if (!options.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
