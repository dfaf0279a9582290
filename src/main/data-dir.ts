import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where FleetDesk keeps its database and firmware images when no --data-dir is given: the same
 * folder Electron's app.getPath('userData') resolves to for "FleetDesk", so the desktop app and
 * `npm run serve` share one fleet.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'FleetDesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'FleetDesk');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'FleetDesk');
}
