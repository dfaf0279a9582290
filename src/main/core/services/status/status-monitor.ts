import type { FleetEventKind } from '../../../../shared/api';
import { type DeviceStatus, livenessOf } from '../../../../shared/status';
import { type DeviceRuntime, intervalOf } from '../../state/runtime';
import type { ServiceContext } from '../context';

const LIVENESS_EVENT: Partial<Record<DeviceStatus, FleetEventKind>> = {
  online: 'came_online',
  late: 'went_late',
  offline: 'went_offline',
};
const LIVENESS = new Set<DeviceStatus>(['online', 'late', 'offline']);

/**
 * Moves a device to a new status: memory, a status delta, the status column with the next flush,
 * and an event for liveness transitions (approve/block/unblock have their own events).
 */
export function setStatus(ctx: ServiceContext, device: DeviceRuntime, next: DeviceStatus): void {
  const previous = device.status;
  if (previous === next) return;
  device.status = next;
  ctx.writeBehind.markChanged(device);
  ctx.bus.emit({ type: 'status', id: device.id, status: next, lastSeenAt: device.lastSeenAt });
  const kind = LIVENESS_EVENT[next];
  if (kind && LIVENESS.has(previous)) {
    ctx.events.recordLater(kind, device.id, `${device.name || device.id} is ${next} (was ${previous})`, { from: previous, to: next });
  }
}

/** Liveness of an active device now, from its last check-in and interval. */
export function currentLiveness(ctx: ServiceContext, device: DeviceRuntime): DeviceStatus {
  if (device.state !== 'active') return device.state;
  const { settings } = ctx.state;
  return livenessOf(device.lastSeenAt, intervalOf(device, settings), ctx.clock.now(), settings.thresholds);
}

/** The status timer's work: re-evaluates every device against the clock. */
export function evaluateStatuses(ctx: ServiceContext): void {
  for (const device of ctx.state.devices.values()) {
    if (device.state !== 'active') continue;
    const next = currentLiveness(ctx, device);
    if (next !== device.status) setStatus(ctx, device, next);
  }
}
