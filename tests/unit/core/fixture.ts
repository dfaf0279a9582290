/** A real services stack on a real SQLite file in a temp dir, with a clock the test moves. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../../../src/main/core/db/open';
import { type CoreServices, createServices } from '../../../src/main/core/services';
import type { FleetDelta } from '../../../src/shared/api';

export const silentLogger = { info() {}, warn() {}, error() {} };

export interface TestClock { t: number; now(): number; advance(ms: number): void }

export function testClock(start = 1_700_000_000_000): TestClock {
  return {
    t: start,
    now() {
      return this.t;
    },
    advance(ms: number) {
      this.t += ms;
    },
  };
}

export interface Harness {
  dir: string;
  dbFile: string;
  db: ReturnType<typeof openDatabase>;
  clock: TestClock;
  services: CoreServices;
  deltas: FleetDelta[];
  /** stop services, close the db and open both again on the same file (a restart) */
  restart(): void;
  close(): void;
}

export function makeHarness(options: { memory?: boolean; firmwareMaxBytes?: number; budgets?: boolean } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdesk-core-'));
  const dbFile = options.memory ? ':memory:' : join(dir, 'fleet.db');
  const clock = testClock();
  const deltas: FleetDelta[] = [];
  const build = () => {
    const db = openDatabase(dbFile);
    // Service tests register whole fleets from documentation addresses in one test minute: the
    // new-device budgets are off here (tests/security and services/admission.test.ts cover them).
    const services = createServices({
      db, dataDir: dir, clock, logger: silentLogger, firmwareMaxBytes: options.firmwareMaxBytes,
      budgetExempt: options.budgets ? undefined : () => true,
    });
    services.deltas.subscribe((d) => deltas.push(d));
    return { db, services };
  };
  let { db, services } = build();
  const h: Harness = {
    dir, dbFile, clock, deltas,
    get db() {
      return db;
    },
    get services() {
      return services;
    },
    restart() {
      services.stop();
      closeDatabase(db);
      ({ db, services } = build());
    },
    close() {
      services.stop();
      closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Registers a device under the current policy and returns its token. */
export function registerDevice(h: Harness, id: string, body: Record<string, unknown> = {}): string {
  const { reply } = h.services.protocol.register(id, body, null, '192.0.2.1');
  if (!reply.token) throw new Error('no token issued');
  return reply.token;
}

export const macOf = (n: number): string =>
  `02:00:00:${((n >> 16) & 255).toString(16).padStart(2, '0')}:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;
