import type { Database } from 'better-sqlite3';
import type { FleetEvent, FleetEventKind } from '../../../../shared/api';
import { parseJson } from './json';

interface EventRow { id: number; at: number; kind: string; device_id: string | null; message: string; data: string | null }

export function createEventsRepo(db: Database) {
  const insert = db.prepare(
    'INSERT INTO events (id, at, kind, device_id, message, data) VALUES (@id, @at, @kind, @deviceId, @message, @data)',
  );
  const maxId = db.prepare('SELECT coalesce(max(id), 0) AS id FROM events').pluck();
  const toEvent = (row: EventRow): FleetEvent => ({
    id: row.id,
    at: row.at,
    kind: row.kind as FleetEventKind,
    deviceId: row.device_id,
    message: row.message,
    data: parseJson(row.data) as Record<string, unknown> | null,
  });
  const listQuery = db.prepare(`
    SELECT id, at, kind, device_id, message, data FROM events
    WHERE (@deviceId IS NULL OR device_id = @deviceId)
      AND (@kind IS NULL OR kind = @kind)
      AND (@before IS NULL OR id < @before)
    ORDER BY id DESC LIMIT @limit`);

  return {
    maxId: (): number => maxId.get() as number,
    insert(event: FleetEvent): void {
      insert.run({ ...event, data: event.data === null ? null : JSON.stringify(event.data) });
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
