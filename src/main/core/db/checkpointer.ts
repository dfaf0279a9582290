/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
 * crosses 1 000 WAL pages, on the committing thread: it copies those pages into the database
 * file and, with synchronous=NORMAL, fsyncs twice. Under a steady check-in load that commit is
 * the write-behind's, and it held the event loop for 45–75 ms on an idle machine (much more on a
 * busy one). Here a worker thread with its own connection runs PASSIVE checkpoints (which never
 * block the writer) and the main connection stops checkpointing by itself. If the worker cannot
 * start, the main connection gets its automatic checkpoints back: slower, never wrong.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

const AUTOCHECKPOINT_PAGES = 1000; // SQLite's default, restored on fallback
const STOP_WAIT_MS = 5000;

/** Plain CommonJS for `eval: true`: no bundler sees this file, so it names the driver by path. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const flags = new Int32Array(workerData.flags); // [0] = stop requested, [1] = stopped
let db = null;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
  while (Atomics.load(flags, 0) === 0) {
    Atomics.wait(flags, 0, 0, workerData.intervalMs);
    if (Atomics.load(flags, 0) !== 0) break;
    db.pragma('wal_checkpoint(PASSIVE)');
  }
} finally {
  try { if (db) db.close(); } finally {
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
  }
}
`;

export interface BackgroundCheckpointer {
  /** Stops the worker and waits (briefly, synchronously) until its connection is closed. */
  stop(): void;
}

const running = new WeakMap<Database, BackgroundCheckpointer>();
/** how each database was opened (set by openDatabase), so the worker opens it the same way */
const nativeBindings = new WeakMap<Database, string | undefined>();

export function rememberNativeBinding(db: Database, nativeBinding: string | undefined): void {
  nativeBindings.set(db, nativeBinding);
}

/**
 * Starts background checkpoints for a file database (no-op for :memory: or when already running).
 * `closeDatabase` stops them before its final checkpoint.
 */
export function startBackgroundCheckpoints(db: Database, options: { intervalMs?: number } = {}): void {
  if (db.memory || !db.open || running.has(db)) return;
  const flags = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        nativeBinding: nativeBindings.get(db),
        file: db.name,
        flags: flags.buffer,
        intervalMs: options.intervalMs ?? 1000,
      },
    });
  } catch {
    return; // automatic checkpoints stay on
  }
  worker.unref();
  let failed = false;
  const fallBack = (): void => {
    failed = true;
    running.delete(db);
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', fallBack);
  worker.on('exit', () => {
    if (Atomics.load(flags, 0) === 0 && !failed) fallBack();
  });
  db.pragma('wal_autocheckpoint = 0');
  running.set(db, {
    stop() {
      running.delete(db);
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
      // A checkpoint in progress finishes first; it takes milliseconds, not seconds.
      if (!failed) Atomics.wait(flags, 1, 0, STOP_WAIT_MS);
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    },
  });
}

export function stopBackgroundCheckpoints(db: Database): void {
  running.get(db)?.stop();
}

export function hasBackgroundCheckpoints(db: Database): boolean {
  return running.has(db);
}
