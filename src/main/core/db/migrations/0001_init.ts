/**
 * 0001 — the first schema. Immutable once released: change the schema with a new numbered file.
 * Devices hold operator data (name, location, …), the last flushed liveness/telemetry and the
 * config overrides; everything that has history (revisions, commands, events) has its own table.
 */
export const sql = `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL -- JSON
) STRICT;

CREATE TABLE firmware (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL,
  version    TEXT NOT NULL,
  size       INTEGER NOT NULL,
  md5        TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  notes      TEXT NOT NULL DEFAULT '',
  author     TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE profiles (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  defaults    TEXT NOT NULL DEFAULT '{}', -- JSON object
  firmware_id INTEGER REFERENCES firmware(id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE devices (
  id               TEXT PRIMARY KEY, -- normalised MAC or safe legacy id
  name             TEXT NOT NULL DEFAULT '',
  location         TEXT NOT NULL DEFAULT '',
  notes            TEXT NOT NULL DEFAULT '',
  profile_id       INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
  state            TEXT NOT NULL CHECK (state IN ('pending', 'active', 'blocked')),
  token_hash       TEXT, -- sha256 hex of the bearer token; NULL = may register afresh
  protocol         TEXT NOT NULL DEFAULT 'v1' CHECK (protocol IN ('v1', 'legacy')),
  created_at       INTEGER NOT NULL,
  last_seen_at     INTEGER,
  ip               TEXT,
  ssid             TEXT,
  rssi             INTEGER,
  heap             INTEGER,
  uptime           INTEGER,
  fw_name          TEXT,
  fw_version       TEXT,
  fw_md5           TEXT,
  chip_id          TEXT,
  flash_size       INTEGER,
  overrides        TEXT NOT NULL DEFAULT '{}', -- JSON object
  cfgsn            INTEGER NOT NULL DEFAULT 1,
  cfgsn_reported   INTEGER,
  checkin_interval INTEGER, -- seconds; NULL = the default from settings
  firmware_id      INTEGER REFERENCES firmware(id) ON DELETE SET NULL
) STRICT;

CREATE TABLE device_tags (
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  tag       TEXT NOT NULL,
  PRIMARY KEY (device_id, tag)
) STRICT, WITHOUT ROWID;

CREATE TABLE config_revisions (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  target    TEXT NOT NULL CHECK (target IN ('device', 'profile')),
  target_id TEXT NOT NULL,
  author    TEXT NOT NULL,
  at        INTEGER NOT NULL,
  before    TEXT NOT NULL, -- JSON object
  after     TEXT NOT NULL, -- JSON object
  reason    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX config_revisions_by_target ON config_revisions (target, target_id, id);

CREATE TABLE commands (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id    TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  args         TEXT NOT NULL DEFAULT '{}', -- JSON object
  state        TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'acked', 'failed', 'expired')),
  result       TEXT, -- JSON
  author       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  delivered_at INTEGER,
  completed_at INTEGER,
  expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX commands_by_device ON commands (device_id, id);

-- The audit log outlives the devices it mentions: no foreign key on device_id.
CREATE TABLE events (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  device_id TEXT,
  message   TEXT NOT NULL,
  data      TEXT -- JSON
) STRICT;
CREATE INDEX events_by_device ON events (device_id, id);
`;
