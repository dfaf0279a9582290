/**
 * The in-memory picture of the fleet the check-in path works from, so a check-in never waits on
 * the disk: one DeviceRuntime per device, profiles, firmware metadata and settings. Services that
 * change operator data commit to SQLite first and then update these objects. How a device is
 * stored and shown is the device codec's (db/device-codec.ts).
 */
import type { Command, FirmwareSummary, Settings } from '../../../shared/api';
import type { ConfigObject } from '../../../shared/config';
import type { DeviceReadings } from '../../../shared/protocol';
import type { DeviceState, DeviceStatus } from '../../../shared/status';

export type OtaState = 'none' | 'offered' | 'downloading' | 'updated' | 'failed';

/** A device in memory; its readings (rssi, heap, uptime, …) come from the protocol contract. */
export interface DeviceRuntime extends DeviceReadings {
  id: string;
  name: string;
  location: string;
  profileId: number | null;
  tags: string[];
  state: DeviceState;
  /** sha256 of the bearer token; null = never issued or reset by the operator */
  tokenHash: Buffer | null;
  protocol: 'v1' | 'legacy';
  createdAt: number;
  lastSeenAt: number | null;
  ip: string | null;
  ssid: string | null;
  fwName: string | null;
  fwVersion: string | null;
  fwMd5: string | null;
  overrides: ConfigObject;
  /** profile defaults ⊕ overrides, recomputed whenever either changes */
  effective: ConfigObject;
  cfgsn: number;
  cfgsnReported: number | null;
  /** seconds; null = settings.defaultCheckinInterval */
  checkinInterval: number | null;
  /** firmware assigned to this device directly (wins over the profile's) */
  firmwareId: number | null;
  status: DeviceStatus;
  ota: { state: OtaState; firmwareId: number | null; message?: string; at?: number };
  /** last time a telemetry sample was queued; samples are thinned to one a minute */
  lastTelemetryAt: number;
  /** last time a check-in announced this device's liveness to the UI (throttled, see status-monitor.ts) */
  lastLivenessDeltaAt: number;
  /** queued and delivered commands, oldest first */
  openCommands: Command[];
}

export interface ProfileRuntime {
  id: number;
  name: string;
  description: string;
  defaults: ConfigObject;
  firmwareId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface FleetState {
  devices: Map<string, DeviceRuntime>;
  profiles: Map<number, ProfileRuntime>;
  firmware: Map<number, FirmwareSummary>;
  settings: Settings;
}

export function intervalOf(device: DeviceRuntime, settings: Settings): number {
  return device.checkinInterval ?? settings.defaultCheckinInterval;
}

/** The firmware the device should run: its own assignment, else its profile's. */
export function assignedFirmwareId(device: DeviceRuntime, state: FleetState): number | null {
  if (device.firmwareId !== null) return device.firmwareId;
  if (device.profileId === null) return null;
  return state.profiles.get(device.profileId)?.firmwareId ?? null;
}
