// The server's heap, sized from the fleet it is about to load. Each device costs about 0.9 KiB of
// live heap (measured with 100 000 devices: 88 MB) and about twice that while the fleet is being
// loaded; 96 MiB covers everything else. A fixed 128 MiB held ~45 000 devices, and a bigger fleet
// then died at every start ("heap limit reached"): a crash loop. FLEETDESK_MAX_HEAP_MB overrides.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const BASE_MB = 96;
const PER_DEVICE_KIB = 2;
const MIN_MB = 128;

export function heapMbFor(devices) {
  return Math.max(MIN_MB, BASE_MB + Math.ceil((devices * PER_DEVICE_KIB) / 1024));
}

/** Mirrors defaultDataDir() of src/main/data-dir.ts (tests/security/fleet-100k.test.ts checks they agree). */
export function defaultDataDir(env = process.env, platform = process.platform) {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'FleetDesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'FleetDesk');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'FleetDesk');
}

/** Devices in the data dir's database (0 when there is none or it cannot be read: the server says why). */
export function countDevices(root, dataDir) {
  const file = join(dataDir, 'fleetdesk.db');
  if (!existsSync(file)) return 0;
  try {
    const Database = createRequire(join(root, 'package.json'))('better-sqlite3');
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM devices').pluck().get();
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

function dataDirOf(args) {
  const i = args.indexOf('--data-dir');
  if (i >= 0 && args[i + 1]) return args[i + 1];
  const inline = args.find((a) => a.startsWith('--data-dir='));
  return inline ? inline.slice('--data-dir='.length) : defaultDataDir();
}

/** The node flags for the server process. */
export function heapFlags(root, args, env = process.env) {
  const mb = env.FLEETDESK_MAX_HEAP_MB ?? String(heapMbFor(countDevices(root, dataDirOf(args))));
  // A larger young generation lets per-request garbage die young instead of being promoted into
  // full collections that stall check-ins (measured: sustained p99 ~17 → ~11 ms).
  return [`--max-old-space-size=${mb}`, '--max-semi-space-size=16'];
}
