import type { Database } from 'better-sqlite3';
import type { FirmwareSummary } from '../../../../shared/api';

export function createFirmwareRepo(db: Database) {
  const all = db.prepare('SELECT id, name, version, size, md5, sha256, notes, created_at AS createdAt FROM firmware ORDER BY id');
  const insert = db.prepare(
    'INSERT INTO firmware (name, version, size, md5, sha256, notes, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM firmware WHERE id = ?');
  const sameFile = db.prepare('SELECT count(*) FROM firmware WHERE sha256 = ?').pluck();
  return {
    all: () => all.all() as FirmwareSummary[],
    insert(f: Omit<FirmwareSummary, 'id'>, author: string): FirmwareSummary {
      const id = Number(insert.run(f.name, f.version, f.size, f.md5, f.sha256, f.notes, author, f.createdAt).lastInsertRowid);
      return { id, ...f };
    },
    /** Assignments to devices and profiles are cleared by ON DELETE SET NULL. */
    remove: (id: number) => remove.run(id),
    usesOfFile: (sha256: string) => sameFile.get(sha256) as number,
  };
}
export type FirmwareRepo = ReturnType<typeof createFirmwareRepo>;
