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

/**
 * Transitions applied per slice. A whole fleet can change status in one tick (every device after
 * a network outage or a restart of the core): each transition emits a delta and queues an event,
 * so thousands at once held the event loop for tens of ms; slices a `setImmediate` apart let
 * check-ins through in between. A tick with few transitions still completes synchronously.
 */
export const TRANSITIONS_PER_SLICE = 200;

/** the unfinished slices of the previous tick, per services instance */
const unfinished = new WeakMap<ServiceContext, NodeJS.Immediate>();

/**
 * The status timer's work: re-evaluates every device against the clock. The scan itself is a
 * few hundred µs for 10 000 devices and allocates nothing unless a device is due for a change.
 */
export function evaluateStatuses(ctx: ServiceContext): void {
  const previous = unfinished.get(ctx);
  if (previous) clearImmediate(previous); // this scan finds whatever the previous one left
  unfinished.delete(ctx);
  const { settings, devices } = ctx.state;
  const now = ctx.clock.now();
  const due: DeviceRuntime[] = [];
  for (const device of devices.values()) {
    if (device.state !== 'active') continue;
    if (livenessOf(device.lastSeenAt, intervalOf(device, settings), now, settings.thresholds) !== device.status) due.push(device);
  }
  if (due.length > 0) applyTransitions(ctx, due, 0);
}

function applyTransitions(ctx: ServiceContext, due: DeviceRuntime[], from: number): void {
  unfinished.delete(ctx);
  const end = Math.min(due.length, from + TRANSITIONS_PER_SLICE);
  for (let i = from; i < end; i++) {
    const device = due[i]!;
    // the device may have checked in, been blocked or deleted since the scan
    if (ctx.state.devices.get(device.id) !== device || device.state !== 'active') continue;
    const next = currentLiveness(ctx, device);
    if (next !== device.status) setStatus(ctx, device, next);
  }
  if (end < due.length) {
    const rest = setImmediate(() => {
      try {
        applyTransitions(ctx, due, end);
      } catch (err) {
        ctx.logger.error({ err }, 'status timer failed'); // outside the timer's own try/catch here
      }
    });
    rest.unref();
    unfinished.set(ctx, rest);
  }
}
