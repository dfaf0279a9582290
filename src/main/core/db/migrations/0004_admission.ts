/**
 * 0004 — admission: claims on existing devices (operator-opened windows and waiting requests),
 * pre-authorised device ids, and a count on events so repeated ones collapse into one row.
 */
export const sql = `
ALTER TABLE events ADD COLUMN count INTEGER NOT NULL DEFAULT 1;

CREATE TABLE device_claims (
  device_id      TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('window', 'request')),
  opened_at      INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  token_hash     TEXT, -- requests: sha256 hex of the token the claimant was given
  remote_address TEXT,
  details        TEXT -- JSON: what the claimant sent (ip, fw, chip)
) STRICT;

CREATE TABLE preauthorized_devices (
  id         TEXT PRIMARY KEY, -- normalised device id
  note       TEXT NOT NULL DEFAULT '',
  author     TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
`;
