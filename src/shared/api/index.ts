/**
 * Admin API contracts: shapes the renderer reads and the inputs the admin router validates, one
 * file per domain so a feature touches its own file. All times are epoch milliseconds. All device
 * ids are normalised (see ../device-id.ts).
 */
export * from './bulk';
export * from './claims';
export * from './bulk-undo';
export * from './commands';
export * from './config';
export * from './devices';
export * from './discovery';
export * from './events';
export * from './firmware';
export * from './live';
export * from './profiles';
export * from './server';
export * from './settings';
export * from './telemetry';
export * from './maintenance';
export * from './alerts';
export * from './rollouts';

// every schema above reports in words a person reads, on the server and in the forms alike
import { installHumanMessages } from '../zod-messages';
installHumanMessages();
