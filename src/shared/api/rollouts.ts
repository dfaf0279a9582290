/**
 * Admin contract: rollout campaigns — one firmware image taken to a target set of devices in
 * phases, at most K downloading at once, each phase held at a health gate before the next starts.
 *
 * Routes (admin listener):
 *   POST /api/rollouts                         RolloutCreateSchema → 201 RolloutDetail
 *   GET  /api/rollouts                         → { items: RolloutSummary[] } (newest first)
 *   GET  /api/rollouts/:id                     → RolloutDetail
 *   POST /api/rollouts/:id/pause               → RolloutDetail
 *   POST /api/rollouts/:id/resume              → RolloutDetail (409 conflict when done/aborted)
 *   POST /api/rollouts/:id/abort               → RolloutDetail (queued devices become skipped)
 *   POST /api/rollouts/:id/phases/:index/rollback → RolloutDetail (offers the devices' previous image)
 *   POST /api/rollouts/:id/exclude             RolloutExcludeSchema → RolloutDetail
 *   GET  /api/devices/:mac/updates             → { items: DeviceUpdateRecord[] } (newest first)
 *   PUT  /api/devices/:mac/firmware-pin        FirmwarePinSchema → { pinned: boolean }
 * Live: a `{type: 'rollout', rolloutId}` delta (see ./live.ts) whenever a rollout, a phase or one of
 * its devices changes; reload GET /api/rollouts/:id (and the list) on it.
 */
import { z } from 'zod';

const DEVICE_ID_MAX = 64;

export type RolloutState = 'running' | 'paused' | 'done' | 'aborted';
/** pending = not started yet; gating = all its devices settled, the gate is being judged */
export type RolloutPhaseState = 'pending' | 'running' | 'gating' | 'passed' | 'paused' | 'rolled_back' | 'aborted';

/**
 * Per-device states in the order a healthy update passes them. `verifying` = download complete,
 * the device checks the image; `rebooting` = the device went quiet after verifying; `on_trial` =
 * it runs the new image but has not been confirmed yet (boot.trial); `updated` = confirmed on the
 * new image and healthy until the gate.
 */
export const ROLLOUT_DEVICE_STATES = [
  'queued', 'offered', 'downloading', 'verifying', 'rebooting', 'on_trial',
  'updated', 'rolled_back', 'failed', 'skipped',
] as const;
export type RolloutDeviceState = (typeof ROLLOUT_DEVICE_STATES)[number];

/** Why a device is skipped (or held). Messages for people are in `reason`'s companion `message`. */
export type RolloutSkipReason =
  | 'pinned' // the operator pinned the device's firmware (PUT /api/devices/:mac/firmware-pin)
  | 'legacy_cannot_update' // speaks the legacy protocol, which has no firmware offer
  | 'already_on_image' // already runs this image (same md5, or same version when md5 unknown)
  | 'does_not_fit' // image larger than the device's OTA slot
  | 'downgrade' // older version than the device runs and allowDowngrade is off
  | 'excluded' // the operator excluded the device
  | 'aborted' // the rollout was aborted before the device's turn
  | 'in_other_rollout' // already taken by another running or paused rollout
  | 'not_eligible'; // blocked / pending approval / deleted

export interface RolloutDeviceEntry {
  mac: string;
  name: string;
  state: RolloutDeviceState;
  /** when the device entered `state` (epoch ms) */
  at: number;
  /** machine-readable reason for skipped/failed/rolled_back, else null */
  reason: RolloutSkipReason | 'boot_failed' | 'download_failed' | 'not_confirmed' | 'reboot_loop' | 'low_heap' | 'update_failed' | 'phase_rolled_back' | null;
  /** words for people: the device's own failure message, or why it was skipped */
  message: string | null;
  /** version the device ran when the rollout reached it */
  fromVersion: string | null;
  /** version of the rollout's image */
  toVersion: string;
  /** version the device runs now (live) */
  currentVersion: string | null;
}

export type RolloutCounts = Record<RolloutDeviceState, number>;

export interface RolloutPhase {
  index: number;
  state: RolloutPhaseState;
  /** the phase as asked: a device count or a percentage of the target */
  size: number | null;
  percent: number | null;
  counts: RolloutCounts;
  /** devices that failed / rolled back in this phase vs. the threshold that pauses */
  failures: number;
  maxFailures: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** gate deadline for the last device to confirm (epoch ms), when running */
  gateDeadline: number | null;
  devices: RolloutDeviceEntry[];
}

export interface RolloutGate {
  /** each device must check in confirmed on the new image within this many seconds of the offer */
  confirmWithinSec: number;
  /** reported free heap below this (bytes) after the update fails the device; null = no floor */
  heapFloor: number | null;
  /** more boots than this during the gate counts as a reboot loop */
  maxReboots: number;
  /** after the last device of a phase settled, watch this long (reboot loops, heap) before passing */
  observeSec: number;
  /** failures per phase above which the rollout pauses itself; canary default 0 (any failure) */
  maxFailures: number | null;
  /** alternative to maxFailures: share (0..100 %) of a phase's devices */
  failurePercent: number | null;
}

export interface RolloutSummary {
  id: number;
  firmwareId: number;
  firmwareName: string;
  firmwareVersion: string;
  state: RolloutState;
  /** why it is paused: 'operator' or a gate message ("2 of 5 canary devices rolled back") */
  pausedReason: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  author: string;
  maxConcurrent: number;
  allowDowngrade: boolean;
  /** index of the phase in progress (or last one) */
  currentPhase: number;
  phaseCount: number;
  /** totals over all phases */
  counts: RolloutCounts;
  total: number;
  target: RolloutTarget;
}

export interface RolloutDetail extends RolloutSummary {
  gate: RolloutGate;
  phases: RolloutPhase[];
  /** devices currently holding a download slot: offered or downloading (≤ maxConcurrent) */
  downloading: number;
  /** the most devices that held a slot at once since the rollout started (this server run) */
  peakDownloading: number;
  /** devices of the target skipped before any phase (pinned, legacy, already on the image, …) */
  unassigned: RolloutDeviceEntry[];
}

export const RolloutTargetSchema = z
  .object({
    devices: z.array(z.string().trim().min(1).max(DEVICE_ID_MAX)).min(1).max(10000).optional(),
    profileId: z.number().int().positive().optional(),
    tag: z.string().trim().min(1).max(64).optional(),
    /** every device whose firmware name equals the image's and whose version differs */
    outdated: z.literal(true).optional(),
  })
  .strict()
  .refine((t) => t.devices !== undefined || t.profileId !== undefined || t.tag !== undefined || t.outdated === true, {
    message: 'Choose a target: devices, a profile, a tag or every outdated device',
  });
export type RolloutTarget = z.infer<typeof RolloutTargetSchema>;

export const RolloutPhaseInputSchema = z.union([
  z.object({ size: z.number().int().min(1).max(10000) }).strict(),
  z.object({ percent: z.number().min(0.1).max(100) }).strict(),
]);
export type RolloutPhaseInput = z.infer<typeof RolloutPhaseInputSchema>;

export const RolloutGateSchema = z
  .object({
    confirmWithinSec: z.number().int().min(10).max(7 * 86400).default(600),
    heapFloor: z.number().int().min(0).max(1 << 20).nullable().optional(),
    maxReboots: z.number().int().min(1).max(100).default(3),
    observeSec: z.number().int().min(0).max(86400).default(30),
    /** absolute failures per phase that pause (first phase defaults to 0 = any failure) */
    maxFailures: z.number().int().min(0).max(10000).optional(),
    /** or a share of the phase's devices, 0..100 */
    failurePercent: z.number().min(0).max(100).optional(),
  })
  .strict();

export const RolloutCreateSchema = z
  .object({
    firmwareId: z.number().int().positive(),
    target: RolloutTargetSchema,
    /** last phase is implicitly "the rest" when the listed phases do not reach 100 % */
    phases: z.array(RolloutPhaseInputSchema).min(1).max(10),
    maxConcurrent: z.number().int().min(1).max(1000).default(5),
    gate: RolloutGateSchema.default({ confirmWithinSec: 600, maxReboots: 3, observeSec: 30 }),
    allowDowngrade: z.boolean().default(false),
  })
  .strict();
export type RolloutCreate = z.infer<typeof RolloutCreateSchema>;

export const RolloutExcludeSchema = z
  .object({ devices: z.array(z.string().trim().min(1).max(DEVICE_ID_MAX)).min(1).max(10000) })
  .strict();

export const FirmwarePinSchema = z.object({ pinned: z.boolean() }).strict();

/** One entry of a device's update history (rollouts and direct assignments alike). */
export interface DeviceUpdateRecord {
  at: number;
  rolloutId: number | null;
  firmwareId: number | null;
  fromVersion: string | null;
  toVersion: string | null;
  state: RolloutDeviceState;
  reason: RolloutDeviceEntry['reason'];
  message: string | null;
}
