import type { Database } from 'better-sqlite3';

export interface TelemetrySample { at: number; rssi: number | null; heap: number | null; uptime: number | null }

export function createTelemetryRepo(db: Database) {
  // Samples are appended in time order (the write-behind keeps check-in order), so the expired
  // ones are a rowid prefix: find the first sample still in retention by walking rowids from the
  // start (it reads exactly the rows that go), then delete the prefix by rowid. No index on `at`
  // to maintain on every insert. A sample stamped out of order (the clock stepped back) goes with
  // the prefix it sits in, at most one clock step late.
  const purge = db.prepare(`
    DELETE FROM telemetry WHERE rowid < coalesce(
      (SELECT rowid FROM telemetry WHERE at >= @cutoff ORDER BY rowid LIMIT 1),
      (SELECT max(rowid) + 1 FROM telemetry))`);
  // Buckets of @bucket ms from @since: averages for the gauges, the latest uptime of each bucket.
  // (JS numbers bind as REAL, hence the casts to get integer bucket numbers.)
  const buckets = db.prepare(`
    SELECT CAST(@since + CAST((at - @since) / @bucket AS INTEGER) * @bucket AS INTEGER) AS at,
           CAST(round(avg(rssi)) AS INTEGER) AS rssi, CAST(round(avg(heap)) AS INTEGER) AS heap, max(uptime) AS uptime
    FROM telemetry WHERE device_id = @deviceId AND at >= @since
    GROUP BY CAST((at - @since) / @bucket AS INTEGER) ORDER BY 1 LIMIT @limit`);
  return {
    /** Bounded retention: drops samples older than the cutoff; returns how many. */
    purgeOlderThan: (cutoff: number) => purge.run({ cutoff }).changes,
    buckets: (deviceId: string, since: number, bucketMs: number, limit: number) =>
      buckets.all({ deviceId, since, bucket: Math.max(1, Math.ceil(bucketMs)), limit }) as TelemetrySample[],
  };
}
export type TelemetryRepo = ReturnType<typeof createTelemetryRepo>;
