/**
 * The device's two ROM slots as the firmware keeps them (rBoot): a new image is booted once on
 * trial, made permanent only when the server confirms its md5, and abandoned — back to the old
 * slot, with a rollback report — when it crashes at boot or stays unconfirmed for three check-ins.
 */
import type { BootReport, CheckinReply, CheckinRequest } from '../shared/protocol';

/** What the simulated device runs: its version and the md5 of its image (when known). */
export interface RunningImage { version: string; md5: string | undefined }

/** Check-ins answered without confirmation before the trial image is given up (as the firmware). */
export const UNCONFIRMED_CHECKINS_LIMIT = 3;

export class BootSlots {
  count = 1;
  reason: BootReport['reason'] = 'power_on';
  slot: 0 | 1 = 0;
  trial = false;
  private previous: RunningImage | null = null;
  private trialFirmwareId: number | null = null;
  private unconfirmed = 0;

  report(): BootReport {
    return { count: this.count, reason: this.reason, slot: this.slot, trial: this.trial };
  }

  /** A power cycle or a reboot command: same slot, one boot more. */
  restart(reason: BootReport['reason']): void {
    this.count += 1;
    this.reason = reason;
  }

  /** The new image is written to the other slot: boot it once (temporary boot). */
  bootTrial(previous: RunningImage, firmwareId: number): void {
    this.previous = previous;
    this.trialFirmwareId = firmwareId;
    this.unconfirmed = 0;
    this.slot = this.slot === 0 ? 1 : 0;
    this.trial = true;
    this.restart('soft_restart');
  }

  /**
   * The trial image crashed (or was never confirmed): the next boot is the old slot again.
   * Returns the image to run and the report for the next check-in.
   */
  fallBack(reason: BootReport['reason'], why: string): { image: RunningImage; ota: NonNullable<CheckinRequest['ota']> } | null {
    if (!this.trial || !this.previous || this.trialFirmwareId === null) return null;
    const image = this.previous;
    const ota = { id: this.trialFirmwareId, ok: false, message: `rolled back: ${why}`, rolledBack: true };
    this.slot = this.slot === 0 ? 1 : 0;
    this.trial = false;
    this.previous = null;
    this.trialFirmwareId = null;
    this.restart(reason);
    return { image, ota };
  }

  /**
   * Reads a check-in reply while on trial: a confirmation of the running md5 makes the slot
   * permanent; returns true when the device must give the trial up (too many unconfirmed replies).
   */
  takeReply(reply: CheckinReply, running: RunningImage): boolean {
    if (!this.trial) return false;
    if (reply.confirm && running.md5 !== undefined && reply.confirm.md5.toLowerCase() === running.md5.toLowerCase()) {
      this.trial = false;
      this.previous = null;
      this.trialFirmwareId = null;
      return false;
    }
    this.unconfirmed += 1;
    return this.unconfirmed >= UNCONFIRMED_CHECKINS_LIMIT;
  }
}

/**
 * Which devices of a fleet get a fault at rate R: exactly every device where floor((i+1)·R)
 * steps up, so the share is R and a run is repeatable (no dice).
 */
export function hasFault(index: number, rate: number): boolean {
  if (rate <= 0) return false;
  return Math.floor((index + 1) * rate) > Math.floor(index * rate);
}
