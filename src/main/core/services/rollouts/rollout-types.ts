/**
 * Rollouts in memory: the check-in path reads a device's entry with one Map lookup, and the gate
 * timer walks the running rollouts. Operator actions commit before they answer; device progress is
 * written behind (see rollout-writer.ts).
 */
import type {
  RolloutDeviceState, RolloutGate, RolloutPhaseState, RolloutState, RolloutTarget,
} from '../../../../shared/api';
import type { RolloutDeviceRow } from '../../db/repos/rollouts-repo';

export interface PhaseRuntime {
  size: number | null;
  percent: number | null;
  state: RolloutPhaseState;
  startedAt: number | null;
  finishedAt: number | null;
  /** failures already seen when the operator resumed: only new ones count against the threshold */
  failureBase: number;
  /** when every device of the phase had settled (the gate then watches them observeMs longer) */
  settledAt: number | null;
}

/**
 * A device's place in a rollout: its stored row (offeredAt: when the image was offered, the
 * confirmation deadline counts from there; bootCount: reported when it took the image, null while
 * unknown) plus what only memory keeps.
 */
export interface EntryRuntime extends RolloutDeviceRow {
  /** downloads cut midway so far (the device may try again) */
  cuts: number;
}

export interface RolloutRuntime {
  id: number;
  firmwareId: number | null;
  firmwareLabel: string;
  state: RolloutState;
  pausedReason: string | null;
  target: RolloutTarget;
  gate: RolloutGate;
  phases: PhaseRuntime[];
  maxConcurrent: number;
  allowDowngrade: boolean;
  author: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  entries: Map<string, EntryRuntime>;
}

/** The device still has an update to go through in this rollout. */
export const OPEN_STATES: ReadonlySet<RolloutDeviceState> = new Set(['queued', 'offered', 'downloading', 'verifying', 'rebooting', 'on_trial']);
/** The device holds one of the rollout's K download slots. */
export const SLOT_STATES: ReadonlySet<RolloutDeviceState> = new Set(['offered', 'downloading']);
/** The device took the image (download complete): coming back on the old version is a rollback. */
export const TOOK_IMAGE_STATES: ReadonlySet<RolloutDeviceState> = new Set(['verifying', 'rebooting', 'on_trial']);
export const FAILURE_STATES: ReadonlySet<RolloutDeviceState> = new Set(['failed', 'rolled_back']);

/** An offer nobody picked up within this time gives its download slot back. */
export const OFFER_SLOT_MS = 120_000;
/** Verifying this long without news: the device is restarting into the image. */
export const VERIFY_TO_REBOOT_MS = 10_000;
/** Download cut this often: the device fails. */
export const MAX_DOWNLOAD_CUTS = 3;
/** After the last device of a phase settled, the gate watches a little longer for reboot loops and low heap. */
export const DEFAULT_OBSERVE_MS = 30_000;
