import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/main/core/db/migrate';
import { MIGRATIONS } from '../../../src/main/core/db/migrations';
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdesk-mig-'));
  dirs.push(dir);
  return join(dir, 'fleet.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);

/** Rows a database at schema version 1 could hold, written with version-1 columns only. */
function seedVersion1(db: Database.Database): void {
  db.prepare("INSERT INTO profiles (name, description, defaults, created_at, updated_at) VALUES ('lamps', 'd', '{\"led\":true}', 1, 2)").run();
  db.prepare(`INSERT INTO devices (id, name, location, state, token_hash, created_at, last_seen_at, ip, overrides, cfgsn, profile_id)
              VALUES ('aa:bb:cc:dd:ee:01', 'Lamp ''1''', 'Hall', 'active', 'ab', 10, 20, '10.0.0.1', '{"x":1}', 4, 1),
                     ('aa:bb:cc:dd:ee:02', 'Blocked', '', 'blocked', NULL, 11, NULL, NULL, '{}', 1, NULL),
                     ('aa:bb:cc:dd:ee:03', 'Waiting', '', 'pending', 'cd', 12, NULL, NULL, '{}', 1, NULL)`).run();
  db.prepare("INSERT INTO device_tags (device_id, tag) VALUES ('aa:bb:cc:dd:ee:01', 'hall')").run();
  db.prepare("INSERT INTO config_revisions (target, target_id, author, at, before, after, reason) VALUES ('device', 'aa:bb:cc:dd:ee:01', 'admin', 5, '{}', '{\"x\":1}', 'edit')").run();
  db.prepare("INSERT INTO commands (device_id, name, args, state, author, created_at, expires_at) VALUES ('aa:bb:cc:dd:ee:01', 'reboot', '{}', 'queued', 'admin', 1, 99)").run();
  db.prepare("INSERT INTO events (id, at, kind, device_id, message) VALUES (1, 1, 'registered', 'aa:bb:cc:dd:ee:01', 'hi')").run();
  db.prepare("INSERT INTO settings (key, value) VALUES ('registrationPolicy', '\"approve\"')").run();
}

describe('migrations', () => {
  it('builds a fresh database at the latest version with its pragmas (WAL, synchronous=NORMAL, foreign keys, busy timeout)', () => {
    const db = openDatabase(tempFile());
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(tables(db)).toEqual([
      'alert_channels', 'alert_deliveries', 'alert_mutes', 'alert_notifications', 'alert_rules', 'alert_windows', 'alerts',
      'commands', 'config_revisions', 'device_cfgsn_watermarks', 'device_claims', 'device_preregistrations', 'device_reboots', 'device_tags', 'devices',
      'events', 'firmware', 'firmware_pins', 'fleet_firmware_history', 'fleet_history', 'history_buckets', 'preauthorized_devices', 'profiles',
      'rollout_devices', 'rollouts', 'settings', 'telemetry',
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    closeDatabase(db);
  });

  it('telemetry keeps only the index its reads use (0003: every index costs each written-behind sample)', () => {
    const db = openDatabase(':memory:');
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'telemetry'").pluck().all();
    expect(indexes).toEqual(['telemetry_by_device']);
    closeDatabase(db);
  });

  it('works on :memory: too', () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    closeDatabase(db);
  });

  for (let from = 0; from < MIGRATIONS.length; from++) {
    it(`migrates a database at version ${from} with data to the latest, keeping the data`, () => {
      const file = tempFile();
      const old = openDatabase(file, { migrateUpTo: from });
      expect(schemaVersion(old)).toBe(from);
      if (from >= 1) seedVersion1(old);
      // from version 2 on the app keeps `status` in step with `state` itself (0002 did it once for older rows)
      if (from >= 2) old.exec("UPDATE devices SET status = state WHERE state <> 'active'");
      closeDatabase(old);

      const db = openDatabase(file);
      expect(schemaVersion(db)).toBe(MIGRATIONS.length);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      if (from >= 1) {
        const devices = db.prepare('SELECT id, name, state, status, overrides, cfgsn, profile_id FROM devices ORDER BY id').all();
        expect(devices).toEqual([
          { id: 'aa:bb:cc:dd:ee:01', name: "Lamp '1'", state: 'active', status: 'offline', overrides: '{"x":1}', cfgsn: 4, profile_id: 1 },
          { id: 'aa:bb:cc:dd:ee:02', name: 'Blocked', state: 'blocked', status: 'blocked', overrides: '{}', cfgsn: 1, profile_id: null },
          { id: 'aa:bb:cc:dd:ee:03', name: 'Waiting', state: 'pending', status: 'pending', overrides: '{}', cfgsn: 1, profile_id: null },
        ]);
        expect(db.prepare('SELECT count(*) FROM device_tags').pluck().get()).toBe(1);
        expect(db.prepare('SELECT count(*) FROM config_revisions').pluck().get()).toBe(1);
        expect(db.prepare('SELECT count(*) FROM commands').pluck().get()).toBe(1);
        expect(db.prepare('SELECT value FROM settings').pluck().get()).toBe('"approve"');
        // the new tables work
        db.prepare("INSERT INTO telemetry (device_id, at, rssi) VALUES ('aa:bb:cc:dd:ee:01', 1, -50)").run();
      }
      closeDatabase(db);
    });
  }

  it('is idempotent: opening a migrated database again changes nothing', () => {
    const file = tempFile();
    closeDatabase(openDatabase(file));
    const db = openDatabase(file);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    closeDatabase(db);
  });

  it('refuses a database from a newer app', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    closeDatabase(db);
    expect(() => openDatabase(file)).toThrow(/newer than this app/);
  });

  it('leaves a failed migration rolled back at the earlier version', () => {
    const file = tempFile();
    const db = openDatabase(file, { migrateUpTo: 1 });
    db.exec('CREATE TABLE telemetry (x INTEGER)'); // makes 0002 fail half-way
    expect(() => migrate(db)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'status'").pluck().get()).toBe(0);
    closeDatabase(db);
  });

  it('checkpoints the WAL on close', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.prepare("INSERT INTO settings (key, value) VALUES ('a', '1')").run();
    closeDatabase(db);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT value FROM settings').pluck().get()).toBe('1');
    raw.close();
  });
});
