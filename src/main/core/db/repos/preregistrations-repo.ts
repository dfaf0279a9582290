import type { Database } from 'better-sqlite3';
import type { ConfigObject } from '../../../../shared/config';

export interface PreregistrationRow {
  id: string; name: string; location: string; notes: string; tags: string; profile_id: number | null;
  overrides: string; source: string; created_at: number;
}

export interface Preregistration {
  id: string; name: string; location: string; notes: string; tags: string[]; profileId: number | null;
  overrides: ConfigObject; source: string; createdAt: number;
}

function fromRow(row: PreregistrationRow): Preregistration {
  return {
    id: row.id, name: row.name, location: row.location, notes: row.notes, tags: JSON.parse(row.tags) as string[],
    profileId: row.profile_id, overrides: JSON.parse(row.overrides) as ConfigObject, source: row.source, createdAt: row.created_at,
  };
}

/** Devices announced before their first contact (see migration 0004). */
export function createPreregistrationsRepo(db: Database) {
  const one = db.prepare('SELECT * FROM device_preregistrations WHERE id = ?');
  const all = db.prepare('SELECT * FROM device_preregistrations ORDER BY name COLLATE NOCASE, id');
  const upsert = db.prepare(`
    INSERT INTO device_preregistrations (id, name, location, notes, tags, profile_id, overrides, source, created_at)
    VALUES (@id, @name, @location, @notes, @tags, @profileId, @overrides, @source, @createdAt)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, location = excluded.location, notes = excluded.notes,
      tags = excluded.tags, profile_id = excluded.profile_id, overrides = excluded.overrides, source = excluded.source`);
  const remove = db.prepare('DELETE FROM device_preregistrations WHERE id = ?');
  const count = db.prepare('SELECT count(*) FROM device_preregistrations').pluck();
  return {
    get(id: string): Preregistration | undefined {
      const row = one.get(id) as PreregistrationRow | undefined;
      return row && fromRow(row);
    },
    all: () => (all.all() as PreregistrationRow[]).map(fromRow),
    save(p: Preregistration): void {
      upsert.run({ ...p, tags: JSON.stringify(p.tags), overrides: JSON.stringify(p.overrides) });
    },
    remove: (id: string) => remove.run(id).changes > 0,
    count: () => count.get() as number,
  };
}
export type PreregistrationsRepo = ReturnType<typeof createPreregistrationsRepo>;
