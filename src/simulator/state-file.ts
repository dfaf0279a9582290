/**
 * The simulator's "flash": MACs, tokens and applied configs survive a restart, so restarting
 * `npm run simulate` brings back the same fleet instead of registering a new one.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PersistedDevice } from './device';

export interface SimulatorState {
  version: 1;
  /** second byte of every generated MAC, random per state file */
  macPrefix: number;
  /** TXT id of the server these tokens belong to (mDNS discovery prefers it) */
  serverId?: string;
  devices: PersistedDevice[];
}

export function defaultStatePath(): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'fleetdesk', 'simulator.json');
}

export function loadState(path: string, random: () => number): SimulatorState {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as SimulatorState;
    if (parsed.version === 1 && Array.isArray(parsed.devices)) return parsed;
    throw new Error(`${path}: not a simulator state file (version ${String(parsed.version)})`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { version: 1, macPrefix: Math.floor(random() * 256), devices: [] };
  }
}

/** Write-then-rename, so a crash mid-write never leaves half a file (and lost tokens). */
export function saveState(path: string, state: SimulatorState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 1)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
