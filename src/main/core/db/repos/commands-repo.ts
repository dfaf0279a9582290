import type { Database } from 'better-sqlite3';
import type { Command, CommandState } from '../../../../shared/api';
import { parseJson, parseObject } from './json';

interface CommandRow {
  id: number; device_id: string; name: string; args: string; state: CommandState; result: string | null; author: string;
  created_at: number; delivered_at: number | null; completed_at: number | null; expires_at: number;
}

const toCommand = (r: CommandRow): Command => ({
  id: r.id, deviceId: r.device_id, name: r.name, args: parseObject(r.args), state: r.state, result: parseJson(r.result),
  createdAt: r.created_at, deliveredAt: r.delivered_at, completedAt: r.completed_at, expiresAt: r.expires_at, author: r.author,
});

export function createCommandsRepo(db: Database) {
  const insert = db.prepare(`
    INSERT INTO commands (device_id, name, args, state, author, created_at, expires_at)
    VALUES (?, ?, ?, 'queued', ?, ?, ?)`);
  const open = db.prepare("SELECT * FROM commands WHERE state IN ('queued', 'delivered') ORDER BY id");
  const one = db.prepare('SELECT * FROM commands WHERE id = ?');
  const list = db.prepare('SELECT * FROM commands WHERE device_id = ? ORDER BY id DESC LIMIT ?');
  const update = db.prepare('UPDATE commands SET state = ?, result = ?, delivered_at = ?, completed_at = ? WHERE id = ?');
  return {
    insert(deviceId: string, name: string, args: Record<string, unknown>, author: string, at: number, expiresAt: number): Command {
      const id = Number(insert.run(deviceId, name, JSON.stringify(args), author, at, expiresAt).lastInsertRowid);
      return { id, deviceId, name, args, state: 'queued', result: null, createdAt: at, deliveredAt: null, completedAt: null, expiresAt, author };
    },
    open: () => (open.all() as CommandRow[]).map(toCommand),
    get(id: number): Command | undefined {
      const row = one.get(id) as CommandRow | undefined;
      return row && toCommand(row);
    },
    list: (deviceId: string, limit: number) => (list.all(deviceId, limit) as CommandRow[]).map(toCommand),
    /** Writes the state part of a command as it is in memory. */
    save: (c: Command) =>
      update.run(c.state, c.result === null || c.result === undefined ? null : JSON.stringify(c.result), c.deliveredAt, c.completedAt, c.id),
  };
}
export type CommandsRepo = ReturnType<typeof createCommandsRepo>;
