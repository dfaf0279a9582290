import type { Database } from 'better-sqlite3';
import type { ConfigRevision } from '../../../../shared/api';
import type { ConfigObject } from '../../../../shared/config';
import { parseObject } from './json';

interface RevisionRow { id: number; target: 'device' | 'profile'; target_id: string; author: string; at: number; before: string; after: string; reason: string }

const toRevision = (r: RevisionRow): ConfigRevision => ({
  id: r.id, target: r.target, targetId: r.target_id, author: r.author, at: r.at,
  before: parseObject(r.before), after: parseObject(r.after), reason: r.reason,
});

export function createRevisionsRepo(db: Database) {
  const insert = db.prepare(
    'INSERT INTO config_revisions (target, target_id, author, at, before, after, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const one = db.prepare('SELECT * FROM config_revisions WHERE id = ?');
  const history = db.prepare('SELECT * FROM config_revisions WHERE target = ? AND target_id = ? ORDER BY id DESC LIMIT ?');
  return {
    insert(target: 'device' | 'profile', targetId: string, author: string, at: number, before: ConfigObject, after: ConfigObject, reason: string): ConfigRevision {
      const id = Number(insert.run(target, targetId, author, at, JSON.stringify(before), JSON.stringify(after), reason).lastInsertRowid);
      return { id, target, targetId, author, at, before, after, reason };
    },
    get(id: number): ConfigRevision | undefined {
      const row = one.get(id) as RevisionRow | undefined;
      return row && toRevision(row);
    },
    history: (target: 'device' | 'profile', targetId: string, limit: number) =>
      (history.all(target, targetId, limit) as RevisionRow[]).map(toRevision),
  };
}
export type RevisionsRepo = ReturnType<typeof createRevisionsRepo>;
