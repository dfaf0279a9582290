import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open';
import { createTelemetryRepo } from '../../../src/main/core/db/repos/telemetry-repo';

const db = openDatabase(':memory:');
afterEach(() => db.exec('DELETE FROM telemetry'));
afterAll(() => closeDatabase(db));

const insert = (...ats: number[]) => {
  const stmt = db.prepare("INSERT INTO telemetry (device_id, at, rssi) VALUES ('d', ?, -50)");
  for (const at of ats) stmt.run(at);
};
const left = () => db.prepare('SELECT at FROM telemetry ORDER BY rowid').pluck().all();

describe('telemetry retention purge (by rowid prefix, no index on at)', () => {
  it('drops the expired samples and keeps the rest', () => {
    insert(1, 2, 3, 10, 11);
    expect(createTelemetryRepo(db).purgeOlderThan(10)).toBe(3);
    expect(left()).toEqual([10, 11]);
  });

  it('drops everything when everything expired, and nothing when nothing did', () => {
    const repo = createTelemetryRepo(db);
    insert(1, 2);
    expect(repo.purgeOlderThan(0)).toBe(0);
    expect(repo.purgeOlderThan(100)).toBe(2);
    expect(left()).toEqual([]);
    expect(repo.purgeOlderThan(100)).toBe(0);
  });

  it('never drops a sample still in retention, even when stamps are out of order (clock stepped back)', () => {
    insert(1, 50, 2, 3, 60);
    expect(createTelemetryRepo(db).purgeOlderThan(10)).toBe(1);
    expect(left()).toEqual([50, 2, 3, 60]); // 2 and 3 go with a later purge, once 50 has expired
    expect(createTelemetryRepo(db).purgeOlderThan(55)).toBe(3);
    expect(left()).toEqual([60]);
  });

  it('does not scan an index on at (there is none) to find the prefix', () => {
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT rowid FROM telemetry WHERE at >= 5 ORDER BY rowid LIMIT 1").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/SCAN telemetry/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'telemetry'").pluck().all()).toEqual(['telemetry_by_device']);
  });
});
