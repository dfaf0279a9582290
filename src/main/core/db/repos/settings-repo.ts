import type { Database } from 'better-sqlite3';

/** Settings are stored one key per row, values as JSON, so a new setting needs no migration. */
export function createSettingsRepo(db: Database) {
  const all = db.prepare('SELECT key, value FROM settings');
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  return {
    load(): Map<string, unknown> {
      const values = new Map<string, unknown>();
      for (const row of all.all() as { key: string; value: string }[]) {
        try {
          values.set(row.key, JSON.parse(row.value));
        } catch {
          // a corrupt value falls back to its default
        }
      }
      return values;
    },
    save(key: string, value: unknown): void {
      upsert.run(key, JSON.stringify(value));
    },
  };
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
