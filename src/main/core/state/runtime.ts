/**
 * The in-memory picture of the fleet the check-in path works from (DESIGN §6): one DeviceRuntime
 * per device, profiles, firmware metadata and settings. Services that change operator data commit
 * to SQLite first and then update these objects, so check-ins never read the disk.
 */
import type { Command, DeviceSummary, FirmwareSummary, Settings } from '../../../shared/api';
import type { ConfigObject } from '../../../shared/config';
import type { DeviceState, DeviceStatus } from '../../../shared/status';

export type OtaState = 'none' | 'offered' | 'downloading' | 'updated' | 'failed';

export interface DeviceRuntime {
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
  rssi: number | null;
  heap: number | null;
  uptime: number | null;
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
  /** last time a flush announced this device's new liveness (throttled, see services/index.ts) */
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

export function summaryOf(device: DeviceRuntime, state: FleetState): DeviceSummary {
  return {
    id: device.id,
    name: device.name,
    location: device.location,
    profileId: device.profileId,
    profileName: device.profileId === null ? null : (state.profiles.get(device.profileId)?.name ?? null),
    tags: [...device.tags],
    state: device.state,
    status: device.status,
    ip: device.ip,
    ssid: device.ssid,
    rssi: device.rssi,
    heap: device.heap,
    uptime: device.uptime,
    fwVersion: device.fwVersion,
    cfgsn: device.cfgsn,
    cfgsnReported: device.cfgsnReported,
    inSync: device.cfgsnReported === device.cfgsn,
    lastSeenAt: device.lastSeenAt,
    createdAt: device.createdAt,
    checkinInterval: intervalOf(device, state.settings),
    protocol: device.protocol,
  };
}
