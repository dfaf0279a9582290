/**
 * History at fleet scale, in-process on real SQLite files with a hand-moved clock:
 * - CPU per check-in without and with the history recorder, in interleaved rounds of the same run
 *   (two copies of one generated fleet, one services instance each; write-behind flushes included);
 * - the hour rollover: closing and writing every device's bucket;
 * - bytes on disk per raw sample, per hourly bucket, and so per device per day (SQLite's dbstat);
 * - dashboard and chart query times with 30 days of hourly history for every device.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { generateFleetDatabase, macOfIndex, tokenOfIndex } from '../../tests/helpers/generated-fleet';
import { closeDatabase, openDatabase } from '../../src/main/core/db/open';
import { createHistoryRepo } from '../../src/main/core/db/repos/history-repo';
import { type CoreServices, createServices } from '../../src/main/core/services';
import { summarize } from '../stats';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const silent = { info() {}, warn() {}, error() {} };

export interface HistoryBenchResult {
  devices: number;
  checkinCpu: { withoutMicros: number; withMicros: number; rounds: number; checkinsPerRound: number };
  hourRolloverMs: number;
  storage: {
    rawBytesPerSample: number; rawBytesPerDeviceDay: number;
    bucketBytesPerRow: number; bucketBytesPerDeviceDay: number;
    rebootBytesPerRow: number; fleetBytesPerDay: number;
    rawDays: number; historyDays: number; steadyBytesPerDevice: number;
  };
  queries: Record<'dashboard24h' | 'dashboard30d' | 'chart30d' | 'chart24h' | 'availability30d', { p50: number; max: number }>;
  generateSeconds: number;
}

/** Bytes of the table and its indexes, from SQLite's dbstat virtual table. */
function bytesOf(db: Database, table: string): number {
  return db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ? OR name IN (SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?)").pluck().get(table, table) as number;
}
const rows = (db: Database, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

function timed(repeat: number, run: () => unknown): { p50: number; max: number } {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  const { p50, max } = summarize(samples);
  return { p50, max };
}

export function historyBench(devices: number, options: { rounds?: number; days?: number } = {}): HistoryBenchResult {
  const rounds = options.rounds ?? 4;
  const days = options.days ?? 30;
  const dir = mkdtempSync(join(tmpdir(), 'fleetdesk-bench-history-'));
  const start = Math.floor(Date.now() / HOUR) * HOUR + 60_000;
  try {
    generateFleetDatabase(dir, devices, start);
    copyFileSync(join(dir, 'fleetdesk.db'), join(dir, 'without.db'));
    const make = (file: string, recordHistory: boolean) => {
      const clock = { t: start, now() { return this.t; } };
      const db = openDatabase(join(dir, file));
      const services = createServices({ db, dataDir: dir, clock, logger: silent, recordHistory, budgetExempt: () => true });
      services.settings.patch({ defaultCheckinInterval: 30 }, 'bench');
      return { db, services, clock };
    };
    const without = make('without.db', false);
    const withHistory = make('fleetdesk.db', true);
    const macs = Array.from({ length: devices }, (_, n) => macOfIndex(n));
    const tokens = Array.from({ length: devices }, (_, n) => tokenOfIndex(n));
    // one check-in per device per 30 s: the clock moves 30 s / devices per check-in
    const stepMs = 30_000 / devices;
    const perRound = Math.max(devices * 2, 20_000);
    const flushEvery = Math.max(1, Math.round(devices / 30)); // about once per simulated second
    let cursor = 0;
    const round = (target: { services: CoreServices; clock: { t: number } }, from: number): number => {
      const cpu = process.cpuUsage();
      for (let k = 0; k < perRound; k++) {
        const n = (from + k) % devices;
        target.clock.t += stepMs;
        target.services.protocol.checkin(macs[n]!, tokens[n]!, { cfgsn: 1, rssi: -50 - (k % 30), heap: 20_000 + (k % 5000), uptime: 3600 + Math.floor(k / devices) * 30 }, '127.0.0.1');
        if (k % flushEvery === 0) target.services.flush();
      }
      target.services.flush();
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / perRound;
    };
    const costs = { without: [] as number[], with: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      costs.without.push(round(without, cursor));
      costs.with.push(round(withHistory, cursor));
      cursor += perRound;
    }

    // the hour rollover: every device's bucket closes and is written
    const rollAt = Math.ceil(withHistory.clock.t / HOUR) * HOUR;
    withHistory.clock.t = rollAt;
    const rollStart = performance.now();
    withHistory.services.sampleHistory();
    withHistory.services.flush();
    const hourRolloverMs = performance.now() - rollStart;
    without.services.stop();
    closeDatabase(without.db);

    // raw samples as written by the check-ins above
    const db = withHistory.db;
    const rawBytesPerSample = bytesOf(db, 'telemetry') / Math.max(1, rows(db, 'telemetry'));

    // Hourly buckets for every device: the last day written hour by hour as the recorder does (so
    // the bytes per bucket are those of a tree filled in that order), the older days device by
    // device (the same rows, far faster to generate), with checkpoints so the WAL stays small.
    const generated = performance.now();
    const repo = createHistoryRepo(db);
    const first = rollAt - days * DAY;
    const bucket = (n: number, at: number) => repo.upsertBucket({
      deviceId: macs[n]!, at, checkins: 120, rssiMin: -80 + (n % 20), rssiSum: -60 * 120, rssiN: 120, rssiMax: -40 - (n % 10),
      heapMin: 15_000 + (n % 999), heapSum: 20_000 * 120, heapN: 120, heapMax: 25_000, uptimeMax: (at - first) / 1000, reboots: 0, gapMax: 31_000, downMs: 0,
    });
    const lastDay = rollAt - DAY;
    for (let at = lastDay; at < rollAt; at += HOUR) db.transaction(() => { for (let n = 0; n < devices; n++) bucket(n, at); })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bucketBytesPerRow = bytesOf(db, 'history_buckets') / rows(db, 'history_buckets');
    for (let n0 = 0; n0 < devices; n0 += 250) {
      db.transaction(() => {
        for (let n = n0; n < Math.min(devices, n0 + 250); n++) for (let at = first; at < lastDay; at += HOUR) bucket(n, at);
      })();
      if (n0 % 2500 === 0) db.pragma('wal_checkpoint(TRUNCATE)');
    }
    // a reboot a day for 2 % of the fleet; a fleet sample every 5 minutes; five firmware versions
    db.transaction(() => {
      for (let at = first; at < rollAt; at += DAY) {
        for (let n = 0; n < devices; n += 50) repo.insertReboot(macs[n]!, { at: at + n * 1000, uptimeBefore: 86_000, reason: null });
      }
      for (let at = first; at < rollAt; at += 300_000) repo.insertFleetCounts({ at, online: devices - 40, late: 25, offline: 15, pending: 0, blocked: 0 });
      for (let at = first; at < rollAt; at += HOUR) {
        repo.insertFirmwareShares(at, [1, 2, 3, 4, 5].map((v) => ({ version: `1.${v}.0`, devices: Math.floor(devices / 5) })));
      }
      // raw samples for the 24 h chart of the device it is timed on
      const insert = db.prepare('INSERT INTO telemetry (device_id, at, rssi, heap, uptime) VALUES (?, ?, ?, ?, ?)');
      for (let at = rollAt - DAY; at < rollAt; at += 60_000) insert.run(macs[7]!, at, -60, 20_000, 1000);
    })();
    const generateSeconds = (performance.now() - generated) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const rebootBytesPerRow = bytesOf(db, 'device_reboots') / rows(db, 'device_reboots');
    const fleetBytes = bytesOf(db, 'fleet_history') + bytesOf(db, 'fleet_firmware_history');

    const s = withHistory.services;
    const queries = {
      dashboard24h: timed(20, () => s.telemetry.dashboard('24h')),
      dashboard30d: timed(20, () => s.telemetry.dashboard('30d')),
      chart30d: timed(50, () => s.telemetry.history(macs[7]!, '30d')),
      chart24h: timed(50, () => s.telemetry.history(macs[7]!, '24h')),
      availability30d: timed(50, () => s.telemetry.availability(macs[7]!, '30d')),
    };
    const settings = s.settings.get();
    s.stop();
    closeDatabase(db);

    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const rawBytesPerDeviceDay = rawBytesPerSample * 1440;
    const bucketBytesPerDeviceDay = bucketBytesPerRow * 24;
    return {
      devices,
      checkinCpu: { withoutMicros: mean(costs.without), withMicros: mean(costs.with), rounds, checkinsPerRound: perRound },
      hourRolloverMs,
      storage: {
        rawBytesPerSample, rawBytesPerDeviceDay, bucketBytesPerRow, bucketBytesPerDeviceDay, rebootBytesPerRow,
        fleetBytesPerDay: fleetBytes / days,
        rawDays: settings.telemetryRetentionDays, historyDays: settings.historyRetentionDays,
        steadyBytesPerDevice: rawBytesPerDeviceDay * settings.telemetryRetentionDays + bucketBytesPerDeviceDay * settings.historyRetentionDays,
      },
      queries,
      generateSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
