import type { Database } from 'better-sqlite3';
import type { FirmwareShare, FleetCounts, HistoryPoint, RebootMark } from '../../../../shared/api';

/** One hour of one device, as the history recorder accumulates it (sums so merges stay exact). */
export interface BucketRow {
  deviceId: string;
  at: number;
  checkins: number;
  rssiMin: number | null; rssiSum: number | null; rssiN: number; rssiMax: number | null;
  heapMin: number | null; heapSum: number | null; heapN: number; heapMax: number | null;
  uptimeMax: number | null;
  reboots: number;
  gapMax: number;
  downMs: number;
}

export interface BucketSummary { at: number; checkins: number; downMs: number }

const BUCKET_COLUMNS = `device_id AS deviceId, at, checkins, rssi_min AS rssiMin, rssi_sum AS rssiSum, rssi_n AS rssiN,
  rssi_max AS rssiMax, heap_min AS heapMin, heap_sum AS heapSum, heap_n AS heapN, heap_max AS heapMax,
  uptime_max AS uptimeMax, reboots, gap_max AS gapMax, down_ms AS downMs`;

/** The SQL of device and fleet history; all reads are bounded by a time range and a device or a limit. */
export function createHistoryRepo(db: Database) {
  // A bucket written twice (the server stopped mid-hour and came back) merges with what is there.
  const upsertBucket = db.prepare(`
    INSERT INTO history_buckets (device_id, at, checkins, rssi_min, rssi_sum, rssi_n, rssi_max, heap_min, heap_sum, heap_n, heap_max, uptime_max, reboots, gap_max, down_ms)
    VALUES (@deviceId, @at, @checkins, @rssiMin, @rssiSum, @rssiN, @rssiMax, @heapMin, @heapSum, @heapN, @heapMax, @uptimeMax, @reboots, @gapMax, @downMs)
    ON CONFLICT (device_id, at) DO UPDATE SET
      checkins = checkins + excluded.checkins,
      rssi_min = min(coalesce(rssi_min, excluded.rssi_min), coalesce(excluded.rssi_min, rssi_min)),
      rssi_max = max(coalesce(rssi_max, excluded.rssi_max), coalesce(excluded.rssi_max, rssi_max)),
      rssi_sum = coalesce(rssi_sum, 0) + coalesce(excluded.rssi_sum, 0), rssi_n = rssi_n + excluded.rssi_n,
      heap_min = min(coalesce(heap_min, excluded.heap_min), coalesce(excluded.heap_min, heap_min)),
      heap_max = max(coalesce(heap_max, excluded.heap_max), coalesce(excluded.heap_max, heap_max)),
      heap_sum = coalesce(heap_sum, 0) + coalesce(excluded.heap_sum, 0), heap_n = heap_n + excluded.heap_n,
      uptime_max = max(coalesce(uptime_max, excluded.uptime_max), coalesce(excluded.uptime_max, uptime_max)),
      reboots = reboots + excluded.reboots, gap_max = max(gap_max, excluded.gap_max), down_ms = down_ms + excluded.down_ms`);
  const bucketsOf = db.prepare(`SELECT ${BUCKET_COLUMNS} FROM history_buckets WHERE device_id = ? AND at >= ? AND at < ? ORDER BY at`);
  const summariesOf = db.prepare('SELECT at, checkins, down_ms AS downMs FROM history_buckets WHERE device_id = ? AND at >= ? ORDER BY at');
  // Raw samples (one a minute) folded into steps of @step ms aligned on @from.
  const rawSteps = db.prepare(`
    SELECT CAST(@from + CAST((at - @from) / @step AS INTEGER) * @step AS INTEGER) AS at, count(*) AS checkins,
      min(rssi) AS rssiMin, CAST(round(avg(rssi)) AS INTEGER) AS rssiAvg, max(rssi) AS rssiMax,
      min(heap) AS heapMin, CAST(round(avg(heap)) AS INTEGER) AS heapAvg, max(heap) AS heapMax,
      max(uptime) AS uptime, 0 AS gapMax
    FROM telemetry WHERE device_id = @deviceId AND at >= @from AND at < @to
    GROUP BY CAST((at - @from) / @step AS INTEGER) ORDER BY 1`);
  const insertReboot = db.prepare('INSERT OR IGNORE INTO device_reboots (device_id, at, uptime_before, reason) VALUES (?, ?, ?, ?)');
  const rebootsOf = db.prepare('SELECT at, uptime_before AS uptimeBefore, reason FROM device_reboots WHERE device_id = ? AND at >= ? ORDER BY at LIMIT 2000');
  const mostReboots = db.prepare(`
    SELECT device_id AS id, count(*) AS value FROM device_reboots WHERE at >= ? GROUP BY device_id ORDER BY value DESC, id LIMIT ?`);
  const insertFleet = db.prepare('INSERT OR REPLACE INTO fleet_history (at, online, late, offline, pending, blocked) VALUES (@at, @online, @late, @offline, @pending, @blocked)');
  const fleetSteps = db.prepare(`
    SELECT CAST(@from + CAST((at - @from) / @step AS INTEGER) * @step AS INTEGER) AS at,
      CAST(round(avg(online)) AS INTEGER) AS online, CAST(round(avg(late)) AS INTEGER) AS late,
      CAST(round(avg(offline)) AS INTEGER) AS offline, CAST(round(avg(pending)) AS INTEGER) AS pending,
      CAST(round(avg(blocked)) AS INTEGER) AS blocked
    FROM fleet_history WHERE at >= @from GROUP BY CAST((at - @from) / @step AS INTEGER) ORDER BY 1`);
  const insertFirmware = db.prepare('INSERT OR REPLACE INTO fleet_firmware_history (at, version, devices) VALUES (?, ?, ?)');
  const firmwareSince = db.prepare('SELECT at, version, devices FROM fleet_firmware_history WHERE at >= ? ORDER BY at, devices DESC');
  const purgeBuckets = db.prepare('DELETE FROM history_buckets WHERE at < ?');
  const purgeReboots = db.prepare('DELETE FROM device_reboots WHERE at < ?');
  const purgeFleet = db.prepare('DELETE FROM fleet_history WHERE at < ?');
  const purgeFirmware = db.prepare('DELETE FROM fleet_firmware_history WHERE at < ?');

  return {
    upsertBucket: (row: BucketRow) => void upsertBucket.run(row),
    buckets: (deviceId: string, from: number, to: number) => bucketsOf.all(deviceId, from, to) as BucketRow[],
    bucketSummaries: (deviceId: string, from: number) => summariesOf.all(deviceId, from) as BucketSummary[],
    rawSteps: (deviceId: string, from: number, to: number, step: number) =>
      rawSteps.all({ deviceId, from, to, step }) as HistoryPoint[],
    insertReboot: (deviceId: string, mark: RebootMark) => void insertReboot.run(deviceId, mark.at, mark.uptimeBefore, mark.reason),
    reboots: (deviceId: string, from: number) => rebootsOf.all(deviceId, from) as RebootMark[],
    mostReboots: (from: number, limit: number) => mostReboots.all(from, limit) as { id: string; value: number }[],
    insertFleetCounts: (counts: FleetCounts) => void insertFleet.run(counts),
    fleetCounts: (from: number, step: number) => fleetSteps.all({ from, step }) as FleetCounts[],
    insertFirmwareShares: (at: number, shares: FirmwareShare[]) => {
      for (const s of shares) insertFirmware.run(at, s.version, s.devices);
    },
    firmwareShares: (from: number) => firmwareSince.all(from) as { at: number; version: string; devices: number }[],
    /** Drops everything older than the cutoff; returns how many rows went. */
    purgeOlderThan: (cutoff: number): number =>
      purgeBuckets.run(cutoff).changes + purgeReboots.run(cutoff).changes + purgeFleet.run(cutoff).changes + purgeFirmware.run(cutoff).changes,
  };
}
export type HistoryRepo = ReturnType<typeof createHistoryRepo>;
