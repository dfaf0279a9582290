/**
 * The database's health: `PRAGMA quick_check` before a server starts on it (a damaged page would
 * otherwise surface much later as a 500 on some unrelated request), and the way out in one place.
 */
import type { Database } from 'better-sqlite3';
import { RESTORE_ADVICE } from '../../../shared/api/maintenance';

export class DatabaseDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`the database ${file} is damaged (${problem}); FleetDesk will not start on it: ${RESTORE_ADVICE}`);
    this.name = 'DatabaseDamagedError';
  }
}

const DAMAGE_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);

/** SQLite saying the file is not (or no longer) a sound database. */
export function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DAMAGE_CODES.has(code);
}

/** Throws DatabaseDamagedError unless quick_check finds nothing (its first finding is named). */
export function assertQuickCheck(db: Database, file: string): void {
  let findings: string[];
  try {
    findings = (db.pragma('quick_check(20)') as { quick_check: string }[]).map((row) => row.quick_check);
  } catch (err) {
    if (isDamage(err)) throw new DatabaseDamagedError(file, (err as Error).message);
    throw err;
  }
  if (findings.length === 1 && findings[0] === 'ok') return;
  const more = findings.length > 1 ? ` and ${findings.length - 1} more finding(s)` : '';
  throw new DatabaseDamagedError(file, `${findings[0]!.replace(/\s+/g, ' ')}${more}`);
}
