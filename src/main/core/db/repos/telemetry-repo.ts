import type { Database } from 'better-sqlite3';

export interface TelemetrySample { at: number; rssi: number | null; heap: number | null; uptime: number | null }

export function createTelemetryRepo(db: Database) {
  const purge = db.prepare('DELETE FROM telemetry WHERE at < ?');
  const range = db.prepare(
    'SELECT at, rssi, heap, uptime FROM telemetry WHERE device_id = ? AND at >= ? ORDER BY at LIMIT ?',
  );
  return {
    /** Bounded retention: drops samples older than the cutoff; returns how many. */
    purgeOlderThan: (cutoff: number) => purge.run(cutoff).changes,
    since: (deviceId: string, since: number, limit: number) => range.all(deviceId, since, limit) as TelemetrySample[],
  };
}
export type TelemetryRepo = ReturnType<typeof createTelemetryRepo>;
