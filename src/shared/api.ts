/**
 * Admin API contracts: shapes the renderer reads and the inputs the admin router validates.
 * All times are epoch milliseconds. All device ids are normalised (see device-id.ts).
 */
import { z } from 'zod';
import type { ConfigObject, ConfigSource } from './config';
import type { DeviceState, DeviceStatus, StatusThresholds } from './status';

// ---------- devices ----------

export interface DeviceSummary {
  id: string; // normalised MAC (or safe legacy id)
  name: string;
  location: string;
  profileId: number | null;
  profileName: string | null;
  tags: string[];
  state: DeviceState;
  status: DeviceStatus;
  ip: string | null;
  ssid: string | null;
  rssi: number | null;
  heap: number | null;
  uptime: number | null;
  fwVersion: string | null;
  /** cfgsn of the effective config the app wants on the device */
  cfgsn: number;
  /** cfgsn the device last reported as applied (null: never) */
  cfgsnReported: number | null;
  inSync: boolean;
  lastSeenAt: number | null;
  createdAt: number;
  checkinInterval: number;
  protocol: 'v1' | 'legacy';
}

export interface DeviceDetail extends DeviceSummary {
  notes: string;
  fwName: string | null;
  fwMd5: string | null;
  chipId: string | null;
  flashSize: number | null;
  /** firmware assigned (directly or through the profile), if any */
  assignedFirmware: FirmwareSummary | null;
  /** last OTA outcome as seen at check-in */
  firmwareUpdate: { state: 'none' | 'offered' | 'downloading' | 'updated' | 'failed'; message?: string; at?: number };
}

export const DEVICE_SORT_KEYS = [
  'status', 'name', 'id', 'location', 'profile', 'ip', 'ssid', 'rssi', 'fwVersion', 'inSync', 'lastSeenAt', 'createdAt',
] as const;
export type DeviceSortKey = (typeof DEVICE_SORT_KEYS)[number];

export const DeviceListQuerySchema = z.object({
  q: z.string().max(200).optional(), // matches name, MAC, IP, location, tags
  status: z.array(z.enum(['online', 'late', 'offline', 'pending', 'blocked'])).optional(),
  profileId: z.coerce.number().int().optional(), // -1 = no profile
  tag: z.string().max(64).optional(),
  sort: z.enum(DEVICE_SORT_KEYS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10000).default(100),
});
export type DeviceListQuery = z.infer<typeof DeviceListQuerySchema>;

export interface DeviceList {
  items: DeviceSummary[];
  total: number;
  /** counts per status over the whole fleet (not just this filter), for the header strip */
  counts: Record<DeviceStatus, number>;
}

const tag = z.string().trim().min(1).max(64);
export const DevicePatchSchema = z
  .object({
    name: z.string().max(128),
    location: z.string().max(256),
    notes: z.string().max(4096),
    tags: z.array(tag).max(64),
    profileId: z.number().int().positive().nullable(),
    checkinInterval: z.number().int().min(5).max(86400),
  })
  .partial()
  .strict();
export type DevicePatch = z.infer<typeof DevicePatchSchema>;

// ---------- bulk ----------

export const BulkTargetSchema = z.union([
  z.object({ ids: z.array(z.string().max(64)).min(1).max(10000) }),
  z.object({ filter: DeviceListQuerySchema.omit({ sort: true, order: true, offset: true, limit: true }) }),
]);
export const BulkActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('setProfile'), profileId: z.number().int().positive().nullable() }),
  z.object({ action: z.literal('addTags'), tags: z.array(tag).min(1).max(64) }),
  z.object({ action: z.literal('removeTags'), tags: z.array(tag).min(1).max(64) }),
  z.object({ action: z.literal('setConfigKey'), key: z.string().min(1).max(128), value: z.json() }),
  z.object({ action: z.literal('removeConfigKey'), key: z.string().min(1).max(128) }),
  z.object({ action: z.literal('command'), name: z.string().min(1).max(64), args: z.record(z.string(), z.json()).default({}) }),
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('block') }),
  z.object({ action: z.literal('delete') }),
]);
export const BulkRequestSchema = z.object({ target: BulkTargetSchema, op: BulkActionSchema });
export type BulkRequest = z.infer<typeof BulkRequestSchema>;
export interface BulkResult { affected: number; ids: string[] }

// ---------- config ----------

export const ConfigObjectSchema = z.record(z.string().min(1).max(128), z.json());

export interface ConfigView {
  /** profile defaults ({} without a profile) */
  defaults: ConfigObject;
  overrides: ConfigObject;
  effective: ConfigObject;
  sources: Record<string, ConfigSource>;
  cfgsn: number;
  cfgsnReported: number | null;
  inSync: boolean;
}

export const ConfigPutSchema = z.object({ overrides: ConfigObjectSchema }).strict();
export const ProfileConfigPutSchema = z.object({ defaults: ConfigObjectSchema }).strict();

export interface ConfigRevision {
  id: number;
  target: 'device' | 'profile';
  targetId: string; // device id or profile id as string
  author: string;
  at: number;
  before: ConfigObject;
  after: ConfigObject;
  /** e.g. 'edit', 'restore of #12', 'bulk set key' */
  reason: string;
}

// ---------- profiles ----------

export interface Profile {
  id: number;
  name: string;
  description: string;
  defaults: ConfigObject;
  deviceCount: number;
  firmwareId: number | null;
  createdAt: number;
  updatedAt: number;
}
export const ProfileCreateSchema = z
  .object({ name: z.string().trim().min(1).max(64), description: z.string().max(1024).default(''), defaults: ConfigObjectSchema.default({}) })
  .strict();
export const ProfilePatchSchema = z
  .object({ name: z.string().trim().min(1).max(64), description: z.string().max(1024) })
  .partial()
  .strict();

// ---------- commands ----------

export type CommandState = 'queued' | 'delivered' | 'acked' | 'failed' | 'expired';
export interface Command {
  id: number;
  deviceId: string;
  name: string;
  args: Record<string, unknown>;
  state: CommandState;
  result: unknown;
  createdAt: number;
  deliveredAt: number | null;
  completedAt: number | null;
  expiresAt: number;
  author: string;
}
export const CommandCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/),
    args: z.record(z.string(), z.json()).default({}),
    ttlSeconds: z.number().int().min(5).max(7 * 86400).default(3600),
  })
  .strict();

// ---------- firmware ----------

export interface FirmwareSummary {
  id: number;
  name: string;
  version: string;
  size: number;
  md5: string;
  sha256: string;
  createdAt: number;
  notes: string;
}
export const FirmwareUploadQuerySchema = z.object({
  name: z.string().trim().min(1).max(64),
  version: z.string().trim().min(1).max(64),
  notes: z.string().max(1024).optional(),
});
export const FirmwareAssignSchema = z
  .object({
    deviceIds: z.array(z.string().max(64)).max(10000).optional(),
    profileId: z.number().int().positive().optional(),
  })
  .strict();
export const FIRMWARE_MAX_BYTES = 4 * 1024 * 1024; // ESP8266 flash slots are ≤ 1 MiB; leave headroom

/** A device an image is assigned to (its own assignment, or its profile's), with the rollout on it. */
export interface FirmwareDeviceState {
  id: string;
  name: string;
  status: DeviceStatus;
  /** what the device reports running */
  fwVersion: string | null;
  /** assigned to the device itself, or inherited from its profile */
  via: 'device' | 'profile';
  profileName: string | null;
  /** the update to this image on the device; 'none' = not offered yet (e.g. no check-in since) */
  firmwareUpdate: DeviceDetail['firmwareUpdate'];
}

// ---------- events ----------

export type FleetEventKind =
  | 'registered' | 'approved' | 'blocked' | 'credentials_reset' | 'deleted'
  | 'came_online' | 'went_late' | 'went_offline'
  | 'config_changed' | 'config_applied'
  | 'command_queued' | 'command_acked' | 'command_failed' | 'command_expired'
  | 'firmware_uploaded' | 'firmware_assigned' | 'firmware_offered' | 'firmware_updated' | 'firmware_failed'
  | 'settings_changed' | 'profile_changed'
  | 'unblocked' | 'firmware_removed';

export interface FleetEvent {
  id: number;
  at: number;
  kind: FleetEventKind;
  deviceId: string | null;
  message: string;
  data: Record<string, unknown> | null;
}
export const EventListQuerySchema = z.object({
  deviceId: z.string().max(64).optional(),
  kind: z.string().max(64).optional(),
  before: z.coerce.number().int().optional(), // event id cursor
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// ---------- telemetry ----------

/** One downsampled bucket of a device's telemetry: averages of rssi/heap, the last uptime. */
export interface TelemetryPoint {
  at: number; // bucket start
  rssi: number | null;
  heap: number | null;
  uptime: number | null;
}
export const TelemetryQuerySchema = z.object({
  since: z.coerce.number().int().min(0).optional(), // epoch ms; default: 24 h ago
  maxPoints: z.coerce.number().int().min(1).max(2000).default(300),
});

// ---------- settings ----------

export type RegistrationPolicy = 'open' | 'approve' | 'key';
export interface Settings {
  registrationPolicy: RegistrationPolicy;
  enrollmentKey: string;
  legacyProtocol: boolean;
  defaultCheckinInterval: number;
  thresholds: StatusThresholds;
  commandTtlSeconds: number;
  /** mDNS instance name; '' = "FleetDesk on <hostname>" */
  mdnsName: string;
  /** interface names to advertise on; [] = every LAN interface */
  mdnsInterfaces: string[];
  devicePort: number; // takes effect at restart
  telemetryRetentionDays: number;
}
export const SettingsPatchSchema = z
  .object({
    registrationPolicy: z.enum(['open', 'approve', 'key']),
    enrollmentKey: z.string().max(128),
    legacyProtocol: z.boolean(),
    defaultCheckinInterval: z.number().int().min(5).max(86400),
    thresholds: z.object({
      lateFactor: z.number().min(1).max(100),
      offlineFactor: z.number().min(1).max(1000),
      graceSeconds: z.number().int().min(0).max(86400),
    }),
    commandTtlSeconds: z.number().int().min(5).max(7 * 86400),
    mdnsName: z.string().max(63),
    mdnsInterfaces: z.array(z.string().max(32)).max(32),
    devicePort: z.number().int().min(1).max(65535),
    telemetryRetentionDays: z.number().int().min(1).max(3650),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

// ---------- server info ----------

export interface MdnsInterfaceChoice { name: string; address: string; advertisedByDefault: boolean }

export interface ServerInfo {
  serverId: string;
  version: string;
  device: { bind: string; port: number; urls: string[] };
  admin: { port: number; url: string };
  mdns: {
    enabled: boolean;
    state: 'off' | 'starting' | 'advertising' | 'error';
    name: string;
    interfaces: { name: string; address: string }[];
    message?: string;
    /** host name advertised in SRV/A records, e.g. "myhost.local" */
    host?: string;
    /** service type, "_fleetdesk._tcp" */
    serviceType?: string;
    /**
     * Interfaces that could be chosen in the mdnsInterfaces setting (IPv4, never loopback), one entry
     * per address; `advertisedByDefault` = taken by the default "every LAN interface". Always present
     * in GET /api/server, mDNS on or off.
     */
    available?: MdnsInterfaceChoice[];
  };
  /** settings whose change needs a restart and differ from what runs */
  restartNeeded: string[];
  dataDir: string;
}

// ---------- live deltas (SSE /api/events/stream) ----------

export type FleetDelta =
  | { type: 'device'; device: DeviceSummary } // created or changed
  | { type: 'device_removed'; id: string }
  | { type: 'status'; id: string; status: DeviceStatus; lastSeenAt: number | null }
  | { type: 'event'; event: FleetEvent }
  | { type: 'command'; command: Command }
  | { type: 'profile'; profileId: number }
  | { type: 'firmware' }
  | { type: 'settings' }
  /** mDNS state or devices seen on the LAN changed: reload GET /api/server and /api/discovery/seen */
  | { type: 'server' };

/** One SSE message carries a batch of deltas (batched at most 4×/s). */
export interface DeltaBatch { deltas: FleetDelta[] }

// ---------- mDNS discovery ----------

/** Which self-advertisement a device was seen through. */
export type SeenDeviceKind = 'fleetdesk-dev' | 'arduino' | 'http';

/** A device advertising itself on the LAN (mDNS), registered or not — the UI matches `mac` to the fleet. */
export interface SeenDevice {
  /** DNS-SD instance name with type, e.g. "esp-a1b2c3._fleetdesk-dev._tcp.local" (unique key) */
  fqdn: string;
  name: string;
  kind: SeenDeviceKind;
  /** SRV target, e.g. "esp-a1b2c3.local" */
  host: string;
  port: number;
  addresses: string[];
  /** normalised MAC from TXT `mac`, when advertised */
  mac: string | null;
  /** firmware version from TXT `fw`, when advertised */
  fw: string | null;
  /** interface it was seen on */
  interface: string;
  lastSeenAt: number;
}
