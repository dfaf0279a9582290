/** Admin contract: database maintenance run on demand from Settings. */

/** GET/POST /api/maintenance/integrity: the full integrity check, table by table. */
export interface IntegrityReport {
  state: 'idle' | 'running' | 'ok' | 'problems' | 'failed';
  /** tables checked so far, of total */
  checked: number;
  total: number;
  /** "table: finding", at most 100 */
  problems: string[];
  startedAt: number | null;
  finishedAt: number | null;
  /** why the check could not run (state 'failed') */
  message?: string;
}

/** What the operator does about a damaged database: the start-up refusal and the UI say it in these words. */
export const RESTORE_ADVICE = 'restore a backup with `npm run serve -- --restore FILE`';
