/** The core's public entry: everything the Electron shell, the headless CLI and tests need. */
export { createFleet, type Fleet, type FleetOptions } from './fleet';
export { FleetStartError, type PortFlag } from './http/listen';
export type { FleetServices, Clock, Author } from './services/contracts';
export { DataDirLockedError } from './data-dir/lock';
export { AdminTokenError, MIN_ADMIN_TOKEN_LENGTH } from './http/admin/auth';
export { MIN_METRICS_TOKEN_LENGTH } from './http/metrics-lan';
export { DatabaseDamagedError } from './db/integrity';
