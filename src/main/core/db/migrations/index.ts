import { sql as init } from './0001_init';
import { sql as telemetryStatus } from './0002_telemetry_status';
import { sql as leanTelemetryIndex } from './0003_lean_telemetry_index';
import { sql as admission } from './0004_admission';
import { sql as devicePreregistrations } from './0005_device_preregistrations';
import { sql as alerts } from './0006_alerts';
import { sql as rollouts } from './0007_rollouts';
import { sql as eventFilters } from './0008_event_filters';
import { sql as deviceHistory } from './0009_device_history';

/**
 * Every migration in order; migration N (1-based) brings `PRAGMA user_version` from N-1 to N.
 * TS modules rather than .sql files so vitest, the electron-vite bundle and tsx all load them alike.
 */
export const MIGRATIONS: readonly { name: string; sql: string }[] = [
  { name: '0001_init', sql: init },
  { name: '0002_telemetry_status', sql: telemetryStatus },
  { name: '0003_lean_telemetry_index', sql: leanTelemetryIndex },
  { name: '0004_admission', sql: admission },
  { name: '0005_device_preregistrations', sql: devicePreregistrations },
  { name: '0006_alerts', sql: alerts },
  { name: '0007_rollouts', sql: rollouts },
  { name: '0008_event_filters', sql: eventFilters },
  { name: '0009_device_history', sql: deviceHistory },
];
