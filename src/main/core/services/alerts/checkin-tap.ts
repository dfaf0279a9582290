/**
 * What the check-in path hands the alert engine: O(1) per check-in, no SQL, no rule matching.
 * The engine drains it on the status tick. Everything here is at most one entry per device.
 */
import type { DeviceRuntime } from '../../state/runtime';

/** Reboot times remembered per device: enough for any reboot-loop rule (at most 100 reboots). */
const REBOOTS_KEPT = 100;

export class AlertCheckinTap {
  private pending = new Map<string, number>();
  private readonly lastUptime = new Map<string, number>();
  private readonly reboots = new Map<string, number[]>();

  /** One check-in of an active device, its readings already taken. An uptime that went down is a reboot. */
  note(device: DeviceRuntime, now: number): void {
    this.pending.set(device.id, (this.pending.get(device.id) ?? 0) + 1);
    const uptime = device.uptime;
    if (uptime === null) return;
    const before = this.lastUptime.get(device.id);
    this.lastUptime.set(device.id, uptime);
    if (before === undefined || uptime >= before) return;
    let times = this.reboots.get(device.id);
    if (!times) this.reboots.set(device.id, (times = []));
    times.push(now);
    if (times.length > REBOOTS_KEPT) times.shift();
  }

  /** Check-ins per device since the last call. */
  take(): Map<string, number> {
    const taken = this.pending;
    this.pending = new Map();
    return taken;
  }

  /** Reboots of the device at or after `since`. */
  rebootsSince(deviceId: string, since: number): number {
    const times = this.reboots.get(deviceId);
    if (!times) return 0;
    let count = 0;
    for (let i = times.length - 1; i >= 0 && times[i]! >= since; i--) count++;
    return count;
  }

  /** Deleted devices' memory goes with them. */
  sweep(devices: ReadonlyMap<string, unknown>): void {
    for (const id of this.lastUptime.keys()) {
      if (devices.has(id)) continue;
      this.lastUptime.delete(id);
      this.reboots.delete(id);
    }
  }
}
