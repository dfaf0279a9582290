import type { Database } from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { CONNECTIVITY_KINDS, type FleetEvent, type FleetEventKind } from '../../../../shared/api';
import { parseJson } from './json';

interface EventRow { id: number; at: number; kind: string; device_id: string | null; message: string; data: string | null; count: number }

/** The audit log's filters as the repository takes them (ids normalised, kinds split). */
export interface EventQuery {
  deviceId?: string;
  kinds?: string[];
  profileId?: number;
  since?: number;
  until?: number;
  hideConnectivity?: boolean;
  before?: number;
  limit: number;
}

const CONNECTIVITY_JSON = JSON.stringify(CONNECTIVITY_KINDS);

/** The WHERE fragment of each filter; only these strings ever become SQL. */
const FILTER_SQL = {
  deviceId: 'device_id = @deviceId',
  kinds: 'kind IN (SELECT value FROM json_each(@kinds))',
  // the device's profile now: "what happened to the greenhouse sensors" follows today's grouping
  profileId: 'device_id IN (SELECT id FROM devices WHERE profile_id = @profileId)',
  since: 'at >= @since',
  until: 'at < @until',
  hideConnectivity: 'kind NOT IN (SELECT value FROM json_each(@connectivity))',
  before: 'id < @before',
} as const satisfies Record<Exclude<keyof EventQuery, 'limit'>, string>;

const NARROWER: ReadonlySet<string> = new Set(['deviceId', 'kinds', 'profileId']);

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
  // One statement per combination of filters present, each WHERE built from the fixed fragments
  // below (values always bound), so SQLite plans each shape with the index that fits it instead of
  // one catch-all `(@x IS NULL OR …)` plan that can use none.
  const statements = new Map<string, Statement>();
  const listStatement = (query: EventQuery): Statement => {
    const present = (Object.keys(FILTER_SQL) as (keyof typeof FILTER_SQL)[]).filter((key) => query[key] !== undefined && query[key] !== false);
    const shape = present.join(',');
    let statement = statements.get(shape);
    if (!statement) {
      const where = present.length ? `WHERE ${present.map((key) => FILTER_SQL[key]).join(' AND ')}` : '';
      // Without statistics SQLite walks the whole log newest-first for a bare time window; the
      // time index reads just the window (and a top-N sort orders it). Device, kind and profile
      // are narrower and keep their own indexes.
      const timeOnly = (query.since !== undefined || query.until !== undefined) && !present.some((key) => NARROWER.has(key));
      statement = db.prepare(
        `SELECT id, at, kind, device_id, message, data, count FROM events ${timeOnly ? 'INDEXED BY events_by_at' : ''} ${where} ORDER BY id DESC LIMIT @limit`,
      );
      statements.set(shape, statement);
    }
    return statement;
  };

  return {
    maxId: (): number => maxId.get() as number,
    insert(event: FleetEvent): void {
      insert.run({ ...event, data: event.data === null ? null : JSON.stringify(event.data) });
    },
    /** A collapsed event repeated: its count, last time and message move on (no-op if pruned). */
    updateCount(event: FleetEvent): void {
      updateCount.run(event.count, event.at, event.message, event.id);
    },
    /** Newest first; `before` is an id cursor for the next page. */
    list(query: EventQuery): FleetEvent[] {
      const rows = listStatement(query).all({
        deviceId: query.deviceId ?? null,
        kinds: JSON.stringify(query.kinds ?? []),
        profileId: query.profileId ?? null,
        since: query.since ?? null,
        until: query.until ?? null,
        connectivity: CONNECTIVITY_JSON,
        before: query.before ?? null,
        limit: query.limit,
      }) as EventRow[];
      return rows.map(toEvent);
    },
    /** The query plan of a list query, for the test that keeps filters on an index. */
    plan(query: EventQuery): string[] {
      const statement = db.prepare(`EXPLAIN QUERY PLAN ${listStatement(query).source}`);
      return (statement.all({
        deviceId: null, kinds: '[]', profileId: null, since: null, until: null, connectivity: CONNECTIVITY_JSON, before: null, limit: query.limit,
      }) as { detail: string }[]).map((row) => row.detail);
    },
  };
}
export type EventsRepo = ReturnType<typeof createEventsRepo>;
