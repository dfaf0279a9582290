/**
 * Backups while the fleet checks in: devices check in on the server's interval (open loop), and
 * backups are taken one after another through the admin API in the middle of the run. Check-ins
 * that complete while a backup runs are compared with those outside; failures are counted.
 */
import type { SimulatedFleet } from '../../src/simulator/fleet';
import type { AdminClient } from '../../src/simulator/admin-client';
import { summarize, type LatencySummary } from '../stats';

export interface BackupUnderLoadResult {
  devices: number;
  checkins: number;
  errors: number;
  /** failures that happened while a backup ran */
  errorsDuringBackup: number;
  firstError?: string;
  backups: { ms: number; size: number; verified: boolean }[];
  duringBackup: LatencySummary;
  outsideBackup: LatencySummary;
}

export async function backupUnderLoad(
  fleet: SimulatedFleet, admin: AdminClient, options: { intervalSeconds: number; warmupSeconds: number; backups: number; cooldownSeconds: number },
): Promise<BackupUnderLoadResult> {
  const samples: { at: number; ms: number }[] = [];
  let errors = 0;
  const errorTimes: number[] = [];
  let firstError: string | undefined;
  const onCheckin = ({ latencyMs }: { latencyMs: number }) => samples.push({ at: performance.now(), ms: latencyMs });
  const onFault = ({ error }: { error: Error }) => {
    errors += 1;
    errorTimes.push(performance.now());
    firstError ??= error.message;
  };
  for (const d of fleet.devices) {
    d.on('checkin', onCheckin);
    d.on('fault', onFault);
  }
  const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
  fleet.start(options.intervalSeconds);
  await sleep(options.warmupSeconds);
  const windows: [number, number][] = [];
  const backups: BackupUnderLoadResult['backups'] = [];
  for (let i = 0; i < options.backups; i++) {
    const started = performance.now();
    const summary = await admin.request<{ size: number; verified: boolean }>('POST', '/api/backups');
    const ended = performance.now();
    windows.push([started, ended]);
    backups.push({ ms: ended - started, size: summary.size, verified: summary.verified });
  }
  await sleep(options.cooldownSeconds);
  await Promise.all(fleet.devices.map((d) => d.stop()));
  for (const d of fleet.devices) {
    d.off('checkin', onCheckin);
    d.off('fault', onFault);
  }
  // a check-in overlapped a backup when it ended inside one or started (ended minus its latency) inside one
  const overlaps = (s: { at: number; ms: number }) => windows.some(([a, b]) => s.at >= a && s.at - s.ms <= b);
  return {
    devices: fleet.devices.length, checkins: samples.length, errors, firstError, backups,
    errorsDuringBackup: errorTimes.filter((t) => windows.some(([a, b]) => t >= a && t <= b + 5000)).length,
    duringBackup: summarize(samples.filter(overlaps).map((s) => s.ms)),
    outsideBackup: summarize(samples.filter((s) => !overlaps(s)).map((s) => s.ms)),
  };
}
