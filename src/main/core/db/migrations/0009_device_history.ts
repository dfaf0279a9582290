/**
 * 0007 — history kept for months at a bounded size: hourly min/avg/max buckets per device (the raw
 * `telemetry` samples cover only the recent window), the reboots noticed at check-in, and the
 * fleet's status counts and firmware versions over time. Bucket and fleet rows are few (one per
 * device per hour, one per fleet sample), so an index on `at` for the retention purge is cheap.
 */
export const sql = `
CREATE TABLE history_buckets (
  device_id  TEXT NOT NULL, -- no foreign key: written behind, may trail a delete; expires with retention
  at         INTEGER NOT NULL, -- bucket start (epoch ms, whole hour)
  checkins   INTEGER NOT NULL,
  rssi_min   INTEGER, rssi_sum INTEGER, rssi_n INTEGER NOT NULL, rssi_max INTEGER,
  heap_min   INTEGER, heap_sum INTEGER, heap_n INTEGER NOT NULL, heap_max INTEGER,
  uptime_max INTEGER,
  reboots    INTEGER NOT NULL,
  gap_max    INTEGER NOT NULL, -- longest silence between check-ins ending in the bucket, ms
  down_ms    INTEGER NOT NULL, -- silence past the late threshold, ms
  PRIMARY KEY (device_id, at)
) STRICT, WITHOUT ROWID;
CREATE INDEX history_buckets_by_age ON history_buckets (at);

CREATE TABLE device_reboots (
  device_id     TEXT NOT NULL,
  at            INTEGER NOT NULL, -- estimated boot time
  uptime_before INTEGER,
  reason        TEXT,
  PRIMARY KEY (device_id, at)
) STRICT, WITHOUT ROWID;
CREATE INDEX device_reboots_by_age ON device_reboots (at);

CREATE TABLE fleet_history (
  at      INTEGER PRIMARY KEY,
  online  INTEGER NOT NULL,
  late    INTEGER NOT NULL,
  offline INTEGER NOT NULL,
  pending INTEGER NOT NULL,
  blocked INTEGER NOT NULL
) STRICT;

CREATE TABLE fleet_firmware_history (
  at      INTEGER NOT NULL,
  version TEXT NOT NULL,
  devices INTEGER NOT NULL,
  PRIMARY KEY (at, version)
) STRICT, WITHOUT ROWID;
`;
