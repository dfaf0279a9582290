/**
 * The full `PRAGMA integrity_check`, on demand: it reads every page, which takes seconds on a big
 * fleet, so a worker thread runs it on its own read-only connection (WAL lets it read beside the
 * writer) one table at a time, and reports progress after each table.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { IntegrityReport } from '../../../shared/api/maintenance';

/** Plain CommonJS for `eval: true`: no bundler sees this file, so it names the driver by path. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
try {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  parentPort.postMessage({ total: tables.length, checked: 0, problems: [] });
  const problems = [];
  tables.forEach((table, i) => {
    // integrity_check(T) checks the table and its indexes
    let rows;
    try {
      rows = db.prepare('PRAGMA integrity_check(' + JSON.stringify(table) + ')').pluck().all();
    } catch (err) {
      rows = [err.message]; // a page too damaged to walk is a finding too
    }
    for (const row of rows) if (row !== 'ok' && problems.length < 100) problems.push(table + ': ' + row);
    parentPort.postMessage({ total: tables.length, checked: i + 1, problems });
  });
} finally {
  db.close();
}
`;

export interface IntegrityChecker {
  report(): IntegrityReport;
  /** Starts a check unless one is running; returns the report as it stands. */
  start(): IntegrityReport;
}

export function createIntegrityChecker(options: { file: string; nativeBinding?: string; now: () => number; onDone?: (report: IntegrityReport) => void }): IntegrityChecker {
  let report: IntegrityReport = { state: 'idle', checked: 0, total: 0, problems: [], startedAt: null, finishedAt: null };
  const finish = (state: 'ok' | 'problems' | 'failed', message?: string): void => {
    if (report.state !== 'running') return;
    report = { ...report, state, finishedAt: options.now(), ...(message ? { message } : {}) };
    options.onDone?.(report);
  };
  return {
    report: () => structuredClone(report),
    start() {
      if (report.state === 'running') return structuredClone(report);
      report = { state: 'running', checked: 0, total: 0, problems: [], startedAt: options.now(), finishedAt: null };
      let worker: Worker;
      try {
        worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: options.file, nativeBinding: options.nativeBinding },
        });
      } catch (err) {
        finish('failed', (err as Error).message);
        return structuredClone(report);
      }
      worker.unref();
      worker.on('message', (progress: { total: number; checked: number; problems: string[] }) => {
        if (report.state === 'running') report = { ...report, ...progress };
      });
      worker.on('error', (err) => finish('failed', err.message));
      worker.on('exit', () => finish(report.problems.length === 0 && report.checked === report.total ? 'ok' : 'problems'));
      return structuredClone(report);
    },
  };
}
