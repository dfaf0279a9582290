/**
 * Admin API contracts of admission: identity claims on existing devices, pre-authorised MACs,
 * and the budgets and caps on new devices (with the settings that tune them).
 */
import { z } from 'zod';
import type { DeviceState } from '../status';

// ---------- settings ----------

export interface AdmissionSettings {
  /** minutes a "reset credentials" lets the device (and only it) register again */
  claimWindowMinutes: number;
  /** new devices (and claims) per minute, whole server; loopback clients are exempt by default */
  newDevicesPerMinute: number;
  /** new devices (and claims) per minute from one network (IPv4 /24, IPv6 /64) */
  newDevicesPerNetworkPerMinute: number;
  /** devices the fleet may hold */
  fleetCap: number;
  /** pending devices plus waiting claims */
  pendingCap: number;
  eventRetentionDays: number;
  eventRetentionCount: number;
  /** finished commands (acked, failed, expired); open ones are never pruned */
  commandRetentionDays: number;
  commandRetentionCount: number;
}

export const DEFAULT_ADMISSION_SETTINGS: AdmissionSettings = {
  claimWindowMinutes: 15,
  newDevicesPerMinute: 120,
  newDevicesPerNetworkPerMinute: 30,
  fleetCap: 50_000,
  pendingCap: 500,
  eventRetentionDays: 90,
  eventRetentionCount: 200_000,
  commandRetentionDays: 30,
  commandRetentionCount: 100_000,
};

export const admissionSettingsShape = {
  claimWindowMinutes: z.number().int().min(1).max(24 * 60),
  newDevicesPerMinute: z.number().int().min(1).max(100_000),
  newDevicesPerNetworkPerMinute: z.number().int().min(1).max(100_000),
  fleetCap: z.number().int().min(1).max(1_000_000),
  pendingCap: z.number().int().min(1).max(100_000),
  eventRetentionDays: z.number().int().min(1).max(3650),
  eventRetentionCount: z.number().int().min(1000).max(10_000_000),
  commandRetentionDays: z.number().int().min(1).max(3650),
  commandRetentionCount: z.number().int().min(1000).max(10_000_000),
};

/** Settings whose change starts the new-device budgets afresh. */
export const BUDGET_SETTING_KEYS = ['newDevicesPerMinute', 'newDevicesPerNetworkPerMinute'] as const;

// ---------- claims ----------

/**
 * A claim on an existing device: `window` = the operator reset its credentials and the next
 * registration for it is accepted until `expiresAt`; `request` = a registration without a valid
 * token under `approve`, waiting for the operator (approving gives the claimant's token to the device).
 */
export interface ClaimView {
  deviceId: string;
  kind: 'window' | 'request';
  openedAt: number;
  expiresAt: number;
  /** the claimant (requests only) */
  remoteAddress: string | null;
  ip: string | null;
  fw: { name?: string; version?: string } | null;
  /** the device being claimed, as it is now */
  device: { name: string; location: string; state: DeviceState; protocol: 'v1' | 'legacy'; ip: string | null; lastSeenAt: number | null; hasToken: boolean };
}
export interface ClaimList { items: ClaimView[] }

// ---------- pre-authorised MACs ----------

export interface PreauthorizedDevice { id: string; note: string; createdAt: number; author: string }
export interface PreauthorizedList { items: PreauthorizedDevice[]; cap: number }
export const PREAUTHORIZED_CAP = 10_000;
export const PreauthorizeSchema = z
  .object({
    /** MACs as a list, or as text (one per line, or separated by commas/spaces) */
    macs: z.union([z.array(z.string().max(64)).min(1).max(PREAUTHORIZED_CAP), z.string().min(1).max(200_000)]),
    note: z.string().max(256).default(''),
  })
  .strict();
export interface PreauthorizeResult { added: string[]; already: string[]; invalid: string[] }

// ---------- limits (budgets and caps) ----------

/** `register_rate`: registration requests from one network over the device listener's request limit */
export type LimitKind = 'fleet_cap' | 'pending_cap' | 'global_budget' | 'network_budget' | 'register_rate';
export interface LimitHit {
  kind: LimitKind;
  message: string;
  /** refusals since firstAt */
  count: number;
  firstAt: number;
  lastAt: number;
  /** network key of the last refusal (budgets) */
  network?: string;
}
export interface LimitsState {
  fleet: { devices: number; cap: number };
  pending: { count: number; cap: number };
  budgets: { perMinute: number; perNetworkPerMinute: number; usedThisMinute: number; exemptLoopback: boolean };
  /** limits that refused something in the last 10 minutes (the UI shows them as a banner) */
  recent: LimitHit[];
}
