/**
 * 0004 — devices known before they first make contact (imported lists): name, place, tags,
 * profile and config ready, admitted on first contact even under the `approve` policy. Kept apart
 * from `devices` because they have no state, token or liveness yet; the row moves into `devices`
 * when the hardware registers. `replaces` names a retired device whose identity the newcomer takes.
 */
export const sql = `
CREATE TABLE device_preregistrations (
  id         TEXT PRIMARY KEY, -- normalised MAC or safe legacy id
  name       TEXT NOT NULL DEFAULT '',
  location   TEXT NOT NULL DEFAULT '',
  notes      TEXT NOT NULL DEFAULT '',
  tags       TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
  profile_id INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
  overrides  TEXT NOT NULL DEFAULT '{}', -- JSON object
  source     TEXT NOT NULL DEFAULT '',   -- where it came from (import file, author)
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

ALTER TABLE devices ADD COLUMN retired_for TEXT; -- the successor of a replaced device
`;
