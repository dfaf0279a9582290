import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hasBackgroundCheckpoints, startBackgroundCheckpoints } from '../../../src/main/core/db/checkpointer';
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdesk-ckpt-'));
  dirs.push(dir);
  return join(dir, 'fleet.db');
};

describe('background WAL checkpoints', () => {
  it('a worker folds the WAL into the database file while the main connection only appends', async () => {
    const file = tempFile();
    const db = openDatabase(file);
    // the first background checkpoint comes well after the insert below, so the assertion that the
    // main thread itself folded nothing is not a race with the worker
    startBackgroundCheckpoints(db, { intervalMs: 750 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const sizeBefore = statSync(file).size;
    const insert = db.prepare('INSERT INTO telemetry (device_id, at, rssi, heap, uptime) VALUES (?, ?, 1, 2, 3)');
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`device-${i % 100}`, i);
    })();
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(100_000);
    expect(statSync(file).size).toBe(sizeBefore); // nothing checkpointed on this thread
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(sizeBefore + 100_000), { timeout: 10_000, interval: 20 });

    closeDatabase(db); // stops the worker first, then truncates the WAL
    expect(hasBackgroundCheckpoints(db)).toBe(false);
    expect(statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    const again = openDatabase(file);
    expect(again.prepare('SELECT count(*) FROM telemetry').pluck().get()).toBe(20_000);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    closeDatabase(again);
  });

  it('leaves in-memory databases to SQLite', () => {
    const db = openDatabase(':memory:');
    startBackgroundCheckpoints(db);
    expect(hasBackgroundCheckpoints(db)).toBe(false);
    closeDatabase(db);
  });
});
