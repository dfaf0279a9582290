/**
 * One server per data directory. Two processes on one database would each keep their own
 * in-memory fleet and overwrite each other's writes, so the second one must not start.
 *
 * A lock file created with O_EXCL holds the owner's pid, start time and addresses. A lock whose
 * pid no longer runs on this host (the owner was killed) is taken over; one from another host
 * (a shared folder) cannot be checked and is refused. Chosen over proper-lockfile, whose
 * mtime-refresh staleness needs a timer touching the disk every few seconds and would call a
 * live server stale when its event loop stalls, and which cannot say who holds the lock.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'fleetdesk.lock';

export interface LockOwner {
  pid: number;
  startedAt: number;
  hostname: string;
  devicePort?: number;
  adminUrl?: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | null,
  ) {
    super(describeLock(dataDir, owner));
    this.name = 'DataDirLockedError';
  }
}

/** One line: what holds the directory and how to reach it. */
function describeLock(dataDir: string, owner: LockOwner | null): string {
  if (!owner) return `data directory ${dataDir} is locked by another FleetDesk (unreadable ${LOCK_FILE}); stop it or use another --data-dir`;
  const where = [
    `pid ${owner.pid}`,
    owner.hostname !== hostname() ? `on host ${owner.hostname}` : null,
    `started ${new Date(owner.startedAt).toISOString()}`,
    owner.devicePort !== undefined ? `device port ${owner.devicePort}` : null,
    owner.adminUrl !== undefined ? `admin ${owner.adminUrl}` : null,
  ].filter((part) => part !== null);
  return `data directory ${dataDir} is already in use by FleetDesk (${where.join(', ')}); stop it or use another --data-dir`;
}

export interface DataDirLock {
  /** Records the addresses once the listeners are bound, for the next one to name. */
  describe(addresses: { devicePort: number; adminUrl: string }): void;
  release(): void;
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.startedAt !== 'number' || typeof parsed.hostname !== 'string') return null;
    return parsed as LockOwner;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string, now: () => number = Date.now): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, startedAt: now(), hostname: hostname() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeFileSync(fd, JSON.stringify(owner));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DataDirLockedError(dataDir, readOwner(file));
        throw err;
      }
      const holder = readOwner(file);
      const stale = holder !== null && holder.hostname === hostname() && holder.pid !== process.pid && !isRunning(holder.pid);
      if (!stale) throw new DataDirLockedError(dataDir, holder);
      // Moved aside rather than deleted: of two processes taking over at once, only one rename
      // succeeds on the stale file, and the O_EXCL create decides between them anyway.
      try {
        renameSync(file, `${file}.stale-${process.pid}`);
        rmSync(`${file}.stale-${process.pid}`, { force: true });
      } catch {
        // someone else moved it first; the retry sees their lock
      }
    }
  }
  let released = false;
  return {
    describe(addresses) {
      if (released) return;
      writeFileSync(file, JSON.stringify({ ...owner, ...addresses }));
    },
    release() {
      if (released) return;
      released = true;
      // Only our own lock: never remove one a later owner took over.
      const current = readOwner(file);
      if (current?.pid === owner.pid && current.startedAt === owner.startedAt) rmSync(file, { force: true });
    },
  };
}
