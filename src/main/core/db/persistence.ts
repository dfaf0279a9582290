/**
 * The persistence unit: the one owner of the database on the core's side. It holds the
 * repositories (all device SQL among them, built on the device codec), the write-behind buffer of
 * the check-in path with its flush timer, and the background checkpointer.
 *
 * Reads and the write-behind meet at one read barrier: every repository read of a table the
 * write-behind feeds (devices, commands, events, telemetry) first writes what is buffered, so a
 * service never sees the disk behind memory and never has to remember to flush.
 */
import type { Database } from 'better-sqlite3';
import type { Scheduler } from '../scheduler';
import { intervalScheduler } from '../scheduler';
import { startBackgroundCheckpoints } from './checkpointer';
import { type Repos, createRepos } from './repos';
import { DEFAULT_PACING, WriteBehind, type WriteBehindPacing } from './write-behind';

/** rows written before WAL checkpoints move to a worker thread (a short test never needs one) */
const BACKGROUND_CHECKPOINTS_AFTER_ROWS = 2000;

/** What services may do with the write-behind: queue, never flush (the read barrier does). */
export type WriteQueue = Pick<WriteBehind, 'markDirty' | 'markChanged' | 'forget' | 'later' | 'sample'>;

export interface PersistenceOptions {
  logger: { error(obj: object, msg?: string): void };
  /** how often the flush timer writes the whole buffer */
  flushMs?: number;
  pacing?: WriteBehindPacing;
  scheduler?: Scheduler;
}

export interface Persistence {
  readonly repos: Repos;
  readonly queue: WriteQueue;
  /** Writes the buffer now; a failure is logged, not thrown (the buffer keeps device rows for a retry). */
  flush(): void;
  /** Starts the flush timer. */
  start(): void;
  /** Stops the timer and the steps and writes the rest; throws when that last write fails. */
  stop(): void;
}

export function createPersistence(db: Database, options: PersistenceOptions): Persistence {
  let rowsWritten = 0;
  const writeBehind = new WriteBehind(
    db,
    ({ rows }) => {
      if (rowsWritten >= BACKGROUND_CHECKPOINTS_AFTER_ROWS) return;
      rowsWritten += rows;
      // a steady write load: its automatic checkpoints would stall the event loop (checkpointer.ts)
      if (rowsWritten >= BACKGROUND_CHECKPOINTS_AFTER_ROWS) startBackgroundCheckpoints(db);
    },
    options.pacing ?? DEFAULT_PACING,
  );

  const flush = (liveness = true): void => {
    try {
      writeBehind.flush({ liveness });
    } catch (err) {
      options.logger.error({ err }, 'write-behind flush failed');
    }
  };
  /**
   * The read barrier. `liveness: false` leaves plain last-seen/readings updates buffered, for
   * readers that take those from memory anyway (the device list) and must stay cheap under load.
   */
  const afterFlush = <A extends unknown[], R>(read: (...args: A) => R, liveness = true) =>
    (...args: A): R => {
      flush(liveness);
      return read(...args);
    };

  const raw = createRepos(db);
  const repos: Repos = {
    ...raw,
    deviceList: { list: afterFlush(raw.deviceList.list.bind(raw.deviceList), false), idsMatching: afterFlush(raw.deviceList.idsMatching.bind(raw.deviceList)) },
    commands: { ...raw.commands, list: afterFlush(raw.commands.list.bind(raw.commands)), get: afterFlush(raw.commands.get.bind(raw.commands)) },
    events: { ...raw.events, list: afterFlush(raw.events.list.bind(raw.events)) },
    telemetry: { ...raw.telemetry, buckets: afterFlush(raw.telemetry.buckets.bind(raw.telemetry)) },
    firmware: { ...raw.firmware, devicesOf: afterFlush(raw.firmware.devicesOf.bind(raw.firmware), false) },
    // history charts and the dashboard read what the recorder queued (samples, closed buckets, reboots)
    history: {
      ...raw.history,
      buckets: afterFlush(raw.history.buckets, false),
      bucketSummaries: afterFlush(raw.history.bucketSummaries, false),
      rawSteps: afterFlush(raw.history.rawSteps, false),
      reboots: afterFlush(raw.history.reboots, false),
      mostReboots: afterFlush(raw.history.mostReboots, false),
      fleetCounts: afterFlush(raw.history.fleetCounts, false),
      firmwareShares: afterFlush(raw.history.firmwareShares, false),
    },
    // device-driven events still in the buffer would escape a retention run's count
    retention: { ...raw.retention, eventKeepFrom: afterFlush(raw.retention.eventKeepFrom.bind(raw.retention)) },
  };

  let stopTimer: (() => void) | null = null;
  return {
    repos,
    queue: writeBehind,
    flush: () => flush(),
    start() {
      if (stopTimer) return;
      stopTimer = (options.scheduler ?? intervalScheduler).every(options.flushMs ?? 1000, () => flush());
    },
    stop() {
      stopTimer?.();
      stopTimer = null;
      writeBehind.stopSteps();
      try {
        writeBehind.flush();
      } catch (err) {
        // A step that failed earlier (a full disk since freed) is reported by this flush too; only
        // a last write that left something unwritten is a failed stop.
        if (writeBehind.pending > 0) throw err;
        options.logger.error({ err }, 'an earlier write-behind step failed; everything is written now');
      }
    },
  };
}
