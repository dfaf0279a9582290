import type { Database } from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations the database has not seen yet, each in its own transaction together
 * with its `user_version` bump, so a crash leaves the database at a clean earlier version.
 * `upTo` exists for tests that build a database at an earlier version.
 */
export function migrate(db: Database, upTo = MIGRATIONS.length): number {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this app (${MIGRATIONS.length}); refusing to open it`);
  }
  for (let version = current + 1; version <= upTo; version++) {
    const migration = MIGRATIONS[version - 1]!;
    db.transaction(() => {
      db.exec(migration.sql);
      // PRAGMA takes no parameters; `version` is our own integer, never outside input.
      db.pragma(`user_version = ${version}`);
    })();
  }
  return schemaVersion(db);
}
