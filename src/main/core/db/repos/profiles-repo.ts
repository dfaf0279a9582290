import type { Database } from 'better-sqlite3';

export interface ProfileRow {
  id: number; name: string; description: string; defaults: string; firmware_id: number | null; created_at: number; updated_at: number;
}

export function createProfilesRepo(db: Database) {
  const all = db.prepare('SELECT * FROM profiles ORDER BY id');
  const byName = db.prepare('SELECT id FROM profiles WHERE name = ?').pluck();
  const insert = db.prepare(
    'INSERT INTO profiles (name, description, defaults, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const patch = db.prepare('UPDATE profiles SET name = ?, description = ?, updated_at = ? WHERE id = ?');
  const setDefaults = db.prepare('UPDATE profiles SET defaults = ?, updated_at = ? WHERE id = ?');
  const setFirmware = db.prepare('UPDATE profiles SET firmware_id = ?, updated_at = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM profiles WHERE id = ?');
  return {
    all: () => all.all() as ProfileRow[],
    idByName: (name: string) => byName.get(name) as number | undefined,
    insert: (name: string, description: string, defaultsJson: string, at: number) =>
      Number(insert.run(name, description, defaultsJson, at, at).lastInsertRowid),
    patch: (id: number, name: string, description: string, at: number) => patch.run(name, description, at, id),
    setDefaults: (id: number, defaultsJson: string, at: number) => setDefaults.run(defaultsJson, at, id),
    setFirmware: (id: number, firmwareId: number | null, at: number) => setFirmware.run(firmwareId, at, id),
    /** Devices of the profile are detached by ON DELETE SET NULL. */
    remove: (id: number) => remove.run(id),
  };
}
export type ProfilesRepo = ReturnType<typeof createProfilesRepo>;
