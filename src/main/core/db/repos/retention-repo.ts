import type { Database } from 'better-sqlite3';

/**
 * Pruning of the audit log and of finished commands, one small batch per call so the caller can
 * yield to the event loop between batches (a check-in never waits behind a giant DELETE).
 */
export function createRetentionRepo(db: Database) {
  const eventAtOffset = db.prepare('SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET ?').pluck();
  const eventsBatch = db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id < @keepFrom OR at < @before ORDER BY id LIMIT @batch)');
  const FINISHED = "state IN ('acked', 'failed', 'expired')";
  const commandAtOffset = db.prepare(`SELECT id FROM commands WHERE ${FINISHED} ORDER BY id DESC LIMIT 1 OFFSET ?`).pluck();
  const commandsBatch = db.prepare(`
    DELETE FROM commands WHERE id IN (
      SELECT id FROM commands WHERE ${FINISHED} AND (id < @keepFrom OR coalesce(completed_at, created_at) < @before) ORDER BY id LIMIT @batch)`);

  return {
    /** The smallest event id kept by a count limit (0 = the count is not exceeded). */
    eventKeepFrom: (keep: number): number => (eventAtOffset.get(keep - 1) as number | undefined) ?? 0,
    deleteEvents: (keepFrom: number, before: number, batch: number): number => eventsBatch.run({ keepFrom, before, batch }).changes,
    commandKeepFrom: (keep: number): number => (commandAtOffset.get(keep - 1) as number | undefined) ?? 0,
    deleteCommands: (keepFrom: number, before: number, batch: number): number => commandsBatch.run({ keepFrom, before, batch }).changes,
  };
}
export type RetentionRepo = ReturnType<typeof createRetentionRepo>;
