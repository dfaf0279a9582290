/** Admin contract: the device list, one device's detail and the operator's edits to a device. */
import { z } from 'zod';
import type { DeviceState, DeviceStatus } from '../status';
import type { FirmwareSummary, FirmwareUpdateState } from './firmware';

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
  firmwareUpdate: FirmwareUpdateState;
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

/** One operator tag (devices carry up to 64). */
export const TagSchema = z.string().trim().min(1).max(64);
export const DevicePatchSchema = z
  .object({
    name: z.string().max(128),
    location: z.string().max(256),
    notes: z.string().max(4096),
    tags: z.array(TagSchema).max(64),
    profileId: z.number().int().positive().nullable(),
    checkinInterval: z.number().int().min(5).max(86400),
  })
  .partial()
  .strict();
export type DevicePatch = z.infer<typeof DevicePatchSchema>;
