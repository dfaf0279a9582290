/**
 * 0006 — alerts: rules, channels and quiet windows (operator data, JSON columns validated by the
 * shared schemas), muted devices, the alerts raised, the notification centre and the bounded
 * webhook delivery log.
 */
export const sql = `
CREATE TABLE alert_rules (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  body       TEXT NOT NULL, -- JSON: the rule as the API takes it
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE alert_channels (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  body       TEXT NOT NULL, -- JSON: the channel as the API takes it
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE alert_windows (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL DEFAULT '',
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER NOT NULL,
  scope      TEXT NOT NULL, -- JSON
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE alert_mutes (
  device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  at        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE alerts (
  id          INTEGER PRIMARY KEY,
  rule_id     INTEGER NOT NULL,
  rule_name   TEXT NOT NULL,
  rule_kind   TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  device_name TEXT NOT NULL DEFAULT '',
  value       TEXT, -- JSON scalar
  fired_at    INTEGER NOT NULL,
  resolved_at INTEGER,
  silent      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX alerts_open ON alerts(resolved_at) WHERE resolved_at IS NULL;

CREATE TABLE alert_notifications (
  id        INTEGER PRIMARY KEY,
  alert_id  INTEGER NOT NULL,
  at        INTEGER NOT NULL,
  state     TEXT NOT NULL,
  device_id TEXT NOT NULL,
  message   TEXT NOT NULL,
  read      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX alert_notifications_unread ON alert_notifications(read) WHERE read = 0;

CREATE TABLE alert_deliveries (
  id          INTEGER PRIMARY KEY,
  channel_id  INTEGER NOT NULL,
  alert_id    INTEGER,
  at          INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  ok          INTEGER NOT NULL,
  status      INTEGER,
  error       TEXT,
  duration_ms INTEGER NOT NULL,
  test        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX alert_deliveries_channel ON alert_deliveries(channel_id, id);
`;
