/**
 * The FleetDesk headless core as the user runs it (`node out/main/cli.js`, built when stale), on
 * loopback, mDNS off, in its own process. `--tsx` runs src/main/cli.ts through tsx instead (no build).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AdminClient } from '../src/simulator/admin-client';
import { spawnServer, type ServerProcess } from './processes';

export interface FleetReady {
  event: 'ready';
  deviceUrl: string;
  adminUrl: string;
  adminToken: string;
}

export interface FleetProcessOptions {
  root: string;
  dataDir: string;
  runner: 'built' | 'tsx';
  /** node flags for the server, e.g. --cpu-prof */
  nodeFlags: string[];
  /** the server's stdout and stderr are appended here */
  logPath: string;
}

export async function ensureBuilt(root: string): Promise<void> {
  const script = join(root, 'scripts', 'build-if-stale.mjs');
  if (existsSync(script)) {
    const { buildIfStale } = (await import(pathToFileURL(script).href)) as { buildIfStale: (root: string) => void };
    buildIfStale(root);
  }
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('out/main/cli.js is missing: run `npm run build` (or pass --tsx)');
}

/**
 * `reuse`: the ready line of an earlier run on the same data dir, to restart on the same ports
 * (the simulated devices keep talking to the URL they know, as real ones would).
 */
export async function startFleetProcess(options: FleetProcessOptions, reuse?: FleetReady): Promise<{ server: ServerProcess<FleetReady>; admin: AdminClient }> {
  mkdirSync(options.dataDir, { recursive: true });
  const entry = options.runner === 'built' ? [join(options.root, 'out', 'main', 'cli.js')] : ['--import', 'tsx', join(options.root, 'src', 'main', 'cli.ts')];
  const args = [
    ...options.nodeFlags, ...entry,
    '--data-dir', options.dataDir, '--bind', '127.0.0.1', '--device-port', reuse ? new URL(reuse.deviceUrl).port : '0', '--admin-port', reuse ? new URL(reuse.adminUrl).port : '0',
    '--no-mdns', '--json', '--admin-token', randomBytes(24).toString('base64url'),
  ];
  const server = await spawnServer<FleetReady>(process.execPath, args, { cwd: options.root, env: { FLEETDESK_LOG_LEVEL: 'warn' }, logPath: options.logPath });
  return { server, admin: new AdminClient(server.ready.adminUrl, server.ready.adminToken) };
}
