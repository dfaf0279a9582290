import Database from 'better-sqlite3';
import { rememberNativeBinding, stopBackgroundCheckpoints } from './checkpointer';
import { migrate } from './migrate';

export type { Database } from 'better-sqlite3';

export interface OpenDatabaseOptions {
  /** Path to a better_sqlite3.node built for another ABI (Electron). */
  nativeBinding?: string;
  /** Stop migrating at this version (tests of "migrate from an earlier version"). */
  migrateUpTo?: number;
}

/**
 * Opens (creating if needed) the fleet database and migrates it. WAL lets readers run beside the one
 * writer (this process); synchronous=NORMAL is durable at every checkpoint and fast enough for the
 * write-behind; foreign keys keep tags and commands from outliving their device.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Database.Database {
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, opts.migrateUpTo);
    rememberNativeBinding(db, opts.nativeBinding);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Folds the WAL back into the main file, then closes: the data dir is one file at rest. */
export function closeDatabase(db: Database.Database): void {
  if (!db.open) return;
  stopBackgroundCheckpoints(db);
  if (db.name !== ':memory:') db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
