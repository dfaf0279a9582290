/** Admin contract: firmware images, their assignment and the rollout on each device. */
import { z } from 'zod';
import type { DeviceStatus } from '../status';

/** Last OTA outcome of a device as seen at check-in. */
export interface FirmwareUpdateState {
  state: 'none' | 'offered' | 'downloading' | 'updated' | 'failed';
  message?: string;
  at?: number;
}

export interface FirmwareSummary {
  id: number;
  name: string;
  version: string;
  size: number;
  md5: string;
  sha256: string;
  createdAt: number;
  notes: string;
  /** set when the stored file no longer matches its sha256: it is then neither offered nor served */
  damaged?: string;
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
  /** legacy-protocol devices cannot take firmware updates (the protocol has no offer) */
  protocol: 'v1' | 'legacy';
  /** assigned to the device itself, or inherited from its profile */
  via: 'device' | 'profile';
  profileName: string | null;
  /** the update to this image on the device; 'none' = not offered yet (e.g. no check-in since) */
  firmwareUpdate: FirmwareUpdateState;
}
