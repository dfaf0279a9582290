/**
 * 0006 — rollout campaigns: one row per campaign (its phases and gate as JSON, they are read and
 * written whole), one row per device taken into it (state with time and reason, the version it ran
 * before), and the devices the operator pinned to what they run (rollouts never update them).
 */
export const sql = `
CREATE TABLE rollouts (
  id             INTEGER PRIMARY KEY,
  firmware_id    INTEGER REFERENCES firmware(id) ON DELETE SET NULL,
  firmware_label TEXT NOT NULL,   -- "name version", kept when the image is removed
  state          TEXT NOT NULL CHECK (state IN ('running', 'paused', 'done', 'aborted')),
  paused_reason  TEXT,
  target         TEXT NOT NULL,   -- JSON RolloutTarget
  gate           TEXT NOT NULL,   -- JSON RolloutGate
  phases         TEXT NOT NULL,   -- JSON array of phase state (size/percent, state, times, failure base)
  max_concurrent INTEGER NOT NULL,
  allow_downgrade INTEGER NOT NULL DEFAULT 0,
  author         TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  finished_at    INTEGER
) STRICT;

CREATE TABLE rollout_devices (
  rollout_id   INTEGER NOT NULL REFERENCES rollouts(id) ON DELETE CASCADE,
  device_id    TEXT NOT NULL,
  phase        INTEGER NOT NULL,
  state        TEXT NOT NULL,
  reason       TEXT,
  message      TEXT,
  at           INTEGER NOT NULL,
  from_version TEXT,
  from_md5     TEXT,
  offered_at   INTEGER,
  boot_count   INTEGER,      -- boot count the device reported when it took the image
  PRIMARY KEY (rollout_id, device_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX rollout_devices_by_device ON rollout_devices (device_id, at);

CREATE TABLE firmware_pins (
  device_id  TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;
