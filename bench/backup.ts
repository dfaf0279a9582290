/**
 * `npx tsx bench/backup.ts [--devices N] [--tsx]`: a backup taken while N (default 1 000) simulated
 * devices check in every 30 s (`--interval S`), each on a fresh connection. Prints check-in latency during and
 * outside the backups, failures, and the backups' durations and sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, startFleetProcess } from './fleet-process';
import { backupUnderLoad } from './scenarios/backup-under-load';
import { seedFleet } from './scenarios/seed';
import { round } from './stats';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string) => process.argv.indexOf(name);
const devices = arg('--devices') > 0 ? Number(process.argv[arg('--devices') + 1]) : 1000;
const runner = arg('--tsx') > 0 ? 'tsx' : 'built';
const INTERVAL = arg('--interval') > 0 ? Number(process.argv[arg('--interval') + 1]) : 30;

const dataDir = mkdtempSync(join(tmpdir(), 'fleetdesk-bench-backup-'));
if (runner === 'built') await ensureBuilt(root);
const { server, admin } = await startFleetProcess({ root, dataDir, runner, nodeFlags: [], logPath: join(tmpdir(), 'fleetdesk-bench-backup.log') });
try {
  await admin.request('PATCH', '/api/settings', { defaultCheckinInterval: INTERVAL });
  const { fleet, seconds } = await seedFleet(server.ready.deviceUrl, devices);
  console.log(`seeded ${devices} devices in ${round(seconds)} s; load: ${os()}`);
  const result = await backupUnderLoad(fleet, admin, { intervalSeconds: INTERVAL, warmupSeconds: INTERVAL, backups: 3, cooldownSeconds: 10 });
  const line = (name: string, l: typeof result.duringBackup) => `${name.padEnd(16)} n=${l.count}  p50=${round(l.p50)} ms  p99=${round(l.p99)} ms  max=${round(l.max)} ms`;
  console.log(`check-ins ${result.checkins}, failed ${result.errors} (${result.errorsDuringBackup} of them during or within 5 s after a backup)${result.firstError ? ` (first: ${result.firstError})` : ''}`);
  console.log(line('during backups', result.duringBackup));
  console.log(line('outside backups', result.outsideBackup));
  for (const b of result.backups) console.log(`backup: ${round(b.ms)} ms, ${round(b.size / 1024)} KiB, verified=${b.verified}`);
  console.log(`load average after: ${os()}`);
  await fleet.stop();
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

function os(): string {
  return loadavg().map((n) => n.toFixed(2)).join(' ');
}
