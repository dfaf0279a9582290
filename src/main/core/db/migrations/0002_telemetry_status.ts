/**
 * 0002 — telemetry samples (bounded retention), a persisted status column so the admin list can
 * filter and sort by status in SQL, the OTA outcome, a cfgsn watermark for deleted devices (so a
 * device that comes back never sees a cfgsn it already applied), and the indexes the admin list needs.
 */
export const sql = `
ALTER TABLE devices ADD COLUMN status TEXT NOT NULL DEFAULT 'offline'
  CHECK (status IN ('online', 'late', 'offline', 'pending', 'blocked'));
UPDATE devices SET status = state WHERE state <> 'active';
ALTER TABLE devices ADD COLUMN ota_state TEXT NOT NULL DEFAULT 'none'
  CHECK (ota_state IN ('none', 'offered', 'downloading', 'updated', 'failed'));
ALTER TABLE devices ADD COLUMN ota_firmware_id INTEGER;
ALTER TABLE devices ADD COLUMN ota_message TEXT;
ALTER TABLE devices ADD COLUMN ota_at INTEGER;

CREATE INDEX devices_by_status ON devices (status);
CREATE INDEX devices_by_profile ON devices (profile_id);
CREATE INDEX devices_by_name ON devices (name COLLATE NOCASE, id);
CREATE INDEX devices_by_last_seen ON devices (last_seen_at);
CREATE INDEX device_tags_by_tag ON device_tags (tag);
CREATE INDEX events_by_kind ON events (kind, id);
CREATE INDEX commands_open ON commands (state) WHERE state IN ('queued', 'delivered');

CREATE TABLE telemetry (
  device_id TEXT NOT NULL, -- no foreign key: samples are written behind and may trail a delete
  at        INTEGER NOT NULL,
  rssi      INTEGER,
  heap      INTEGER,
  uptime    INTEGER
) STRICT;
CREATE INDEX telemetry_by_device ON telemetry (device_id, at);
CREATE INDEX telemetry_by_age ON telemetry (at);

CREATE TABLE device_cfgsn_watermarks (
  device_id TEXT PRIMARY KEY,
  cfgsn     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;
