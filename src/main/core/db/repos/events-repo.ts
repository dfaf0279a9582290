import type { Database } from 'better-sqlite3';
import type { FleetEvent, FleetEventKind } from '../../../../shared/api';
import { parseJson } from './json';

interface EventRow { id: number; at: number; kind: string; device_id: string | null; message: string; data: string | null; count: number }

export function createEventsRepo(db: Database) {
  const insert = db.prepare(
    'INSERT INTO events (id, at, kind, device_id, message, data, count) VALUES (@id, @at, @kind, @deviceId, @message, @data, @count)',
  );
  const updateCount = db.prepare('UPDATE events SET count = ?, at = ?, message = ? WHERE id = ?');
  const maxId = db.prepare('SELECT coalesce(max(id), 0) AS id FROM events').pluck();
  const toEvent = (row: EventRow): FleetEvent => ({
    id: row.id,
    at: row.at,
    kind: row.kind as FleetEventKind,
    deviceId: row.device_id,
    message: row.message,
    data: parseJson(row.data) as Record<string, unknown> | null,
    count: row.count,
  });
  const listQuery = db.prepare(`
    SELECT id, at, kind, device_id, message, data, count FROM events
    WHERE (@deviceId IS NULL OR device_id = @deviceId)
      AND (@kind IS NULL OR kind = @kind)
      AND (@before IS NULL OR id < @before)
    ORDER BY id DESC LIMIT @limit`);

  return {
    maxId: (): number => maxId.get() as number,
    insert(event: FleetEvent): void {
      insert.run({ ...event, data: event.data === null ? null : JSON.stringify(event.data) });
    },
    /** A collapsed event repeated: its count, last time and message move on (no-op if pruned). */
    updateCount(event: FleetEvent): void {
      updateCount.run(event.count, event.at, event.message, event.id);
    },
    list(query: { deviceId?: string; kind?: string; before?: number; limit: number }): FleetEvent[] {
      const rows = listQuery.all({
        deviceId: query.deviceId ?? null,
        kind: query.kind ?? null,
        before: query.before ?? null,
        limit: query.limit,
      }) as EventRow[];
      return rows.map(toEvent);
    },
  };
}
export type EventsRepo = ReturnType<typeof createEventsRepo>;
