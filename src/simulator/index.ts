/**
 * The device simulator as a library: what the e2e tests, the benchmark and `npm run simulate` use.
 * Start with SimulatedDevice (one device, step by step or free-running) or SimulatedFleet (many).
 */
export { SimulatedDevice } from './device';
export type {
  DeviceRunStatus, FirmwareOutcome, PersistedDevice, SimulatedDeviceEvents, SimulatedDeviceOptions,
} from './device-types';
export { SimulatedFleet, formatSummary, type FleetSummary, type SimulatedFleetOptions } from './fleet';
export { AdminClient } from './admin-client';
export { HttpError } from './http-client';
export { simulatedMac, loopbackSourceAddress } from './identity';
export { seededRandom } from './telemetry';
export { loadState, saveState, defaultStatePath, type SimulatorState } from './state-file';
