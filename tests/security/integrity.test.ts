/**
 * A damaged database is refused at start with the way out, instead of surfacing later as a 500;
 * the full integrity check runs on demand from the admin API (off the event loop, with progress).
 */
import { openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseDamagedError } from '../../src/main/core';
import { makeTempDataDir, registerDevice, startTestFleet, type TestFleet } from '../helpers/fleet';

const dirs: string[] = [];
let running: TestFleet | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fleet with some history, stopped; returns its data dir. */
async function fleetWithHistory(): Promise<string> {
  const dataDir = makeTempDataDir('fleetdesk-integrity-');
  dirs.push(dataDir);
  const t = await startTestFleet({ dataDir });
  await registerDevice(t, 'aa:bb:cc:00:00:01');
  for (let n = 0; n < 5; n++) {
    expect((await t.admin('/api/devices/aa:bb:cc:00:00:01/config', { method: 'PUT', body: { overrides: { n } } })).status).toBe(200);
  }
  await t.stop();
  return dataDir;
}

/** Overwrites the b-tree page of a table no start-up code reads with garbage. */
function damageTable(dataDir: string, table: string): void {
  const file = join(dataDir, 'fleetdesk.db');
  const db = new Database(file, { readonly: true });
  const root = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);
}

describe('database integrity', () => {
  it('refuses to start on a damaged database and says how to restore a backup', async () => {
    const dataDir = await fleetWithHistory();
    damageTable(dataDir, 'config_revisions');
    const start = startTestFleet({ dataDir });
    await expect(start).rejects.toBeInstanceOf(DatabaseDamagedError);
    const err = (await start.catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('restore a backup with `npm run serve -- --restore FILE`');
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('runs the full integrity check on demand and reports progress and the result', async () => {
    running = await startTestFleet({ dataDir: await fleetWithHistory() });
    expect((await running.admin('/api/maintenance/integrity')).json).toMatchObject({ state: 'idle' });
    const started = await running.admin('/api/maintenance/integrity', { method: 'POST' });
    expect(started.status).toBe(202);
    expect(started.json.state).toBe('running');
    let report = started.json;
    while (report.state === 'running') {
      expect(report.checked).toBeLessThanOrEqual(report.total);
      report = (await running.admin('/api/maintenance/integrity')).json;
    }
    expect(report).toMatchObject({ state: 'ok', problems: [] });
    expect(report.checked).toBe(report.total);
    expect(report.total).toBeGreaterThan(5);
    expect(report.finishedAt).toBeGreaterThanOrEqual(report.startedAt);
  });

  it('names what it found when a page went bad while running', async () => {
    const dataDir = await fleetWithHistory();
    running = await startTestFleet({ dataDir });
    damageTable(dataDir, 'config_revisions');
    let report = (await running.admin('/api/maintenance/integrity', { method: 'POST' })).json;
    while (report.state === 'running') report = (await running.admin('/api/maintenance/integrity')).json;
    expect(report.state).toBe('problems');
    expect(report.problems[0]).toMatch(/^config_revisions: /);
  });
});
