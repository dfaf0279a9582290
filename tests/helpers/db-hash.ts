/** Row counts and a content hash per table of a SQLite file, read through a separate read-only connection. */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

export type TableDigest = Record<string, { rows: number; sha256: string }>;

export function digestTables(file: string, rowFilter: (table: string, row: Record<string, unknown>) => boolean = () => true): TableDigest {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const digest: TableDigest = {};
    for (const table of tables) {
      const rows = (db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[])
        .filter((row) => rowFilter(table, row))
        .map((row) => JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
        .sort();
      digest[table] = { rows: rows.length, sha256: createHash('sha256').update(rows.join('\n')).digest('hex') };
    }
    return digest;
  } finally {
    db.close();
  }
}
