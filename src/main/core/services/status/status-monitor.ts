import type { FleetEventKind } from '../../../../shared/api';
import { type DeviceStatus, livenessOf } from '../../../../shared/status';
import { type DeviceRuntime, intervalOf } from '../../state/runtime';
import { type ServiceContext, emitDevice } from '../context';

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

/**
 * New liveness (last-seen, readings) goes to the UI straight from the check-in, never waiting for
 * a database write, but at most once per LIVENESS_DELTA_MS per device: a fleet under check-in
 * load must not flood the SSE stream. Changes the list shows beyond liveness go out at once.
 */
export const LIVENESS_DELTA_MS = 5000;

/**
 * Devices whose latest liveness was held back by that limit, per services instance: the status
 * timer sends it once the limit allows. Else a device checking in twice within the limit would
 * show the older readings until its next check-in, minutes later.
 */
const owedLiveness = new WeakMap<ServiceContext, Set<DeviceRuntime>>();

export function announceLiveness(ctx: ServiceContext, device: DeviceRuntime, now: number): void {
  if (!ctx.bus.hasListeners) return;
  if (now - device.lastLivenessDeltaAt < LIVENESS_DELTA_MS) {
    let owed = owedLiveness.get(ctx);
    if (!owed) owedLiveness.set(ctx, (owed = new Set()));
    owed.add(device);
    return;
  }
  device.lastLivenessDeltaAt = now;
  emitDevice(ctx, device);
}

/** Sends the liveness held back from devices whose limit has passed (called by the status timer). */
function announceOwedLiveness(ctx: ServiceContext): void {
  const owed = owedLiveness.get(ctx);
  if (!owed || owed.size === 0) return;
  const now = ctx.clock.now();
  for (const device of owed) {
    if (ctx.state.devices.get(device.id) !== device) owed.delete(device); // deleted, or state reloaded
    else if (now - device.lastLivenessDeltaAt >= LIVENESS_DELTA_MS) {
      owed.delete(device);
      device.lastLivenessDeltaAt = now;
      if (ctx.bus.hasListeners) emitDevice(ctx, device);
    }
  }
}

/** Liveness of an active device now, from its last check-in and interval. */
export function currentLiveness(ctx: ServiceContext, device: DeviceRuntime): DeviceStatus {
  if (device.state !== 'active') return device.state;
  const { settings } = ctx.state;
  return livenessOf(device.lastSeenAt, intervalOf(device, settings), ctx.clock.now(), settings.thresholds);
}

/**
 * The status timer works in slices a `setImmediate` apart, so check-ins get served in between:
 * a slice scans at most SCAN_PER_SLICE devices (a 10 000-device scan took 2–10 ms per tick on the
 * busy bench machine) and applies at most TRANSITIONS_PER_SLICE changes (a whole fleet can change
 * status in one tick — after a network outage or a restart of the core — and each transition
 * emits a delta and queues an event). A small fleet is still done within the tick.
 */
export const SCAN_PER_SLICE = 2500;
export const TRANSITIONS_PER_SLICE = 200;

/** the unfinished slices of the previous tick, per services instance */
const unfinished = new WeakMap<ServiceContext, NodeJS.Immediate>();

/** The status timer's work: re-evaluates every device against the clock (see the slices above). */
export function evaluateStatuses(ctx: ServiceContext): void {
  announceOwedLiveness(ctx);
  const previous = unfinished.get(ctx);
  if (previous) clearImmediate(previous); // this scan covers whatever the previous one left
  unfinished.delete(ctx);
  const fleet = ctx.state.devices;
  evaluateSlice(ctx, fleet, fleet.values());
}

function evaluateSlice(ctx: ServiceContext, fleet: Map<string, DeviceRuntime>, devices: Iterator<DeviceRuntime>): void {
  unfinished.delete(ctx);
  if (ctx.state.devices !== fleet) return; // the state was reloaded: these objects are stale
  // Map iterators stay valid while the map changes: devices added meanwhile are visited too,
  // deleted ones are skipped. A slice reads the clock once; liveness is never older than a slice.
  const { settings } = ctx.state;
  const now = ctx.clock.now();
  let scanned = 0;
  let applied = 0;
  for (;;) {
    const next = devices.next();
    if (next.done) return;
    const device = next.value;
    if (device.state === 'active') {
      const liveness = livenessOf(device.lastSeenAt, intervalOf(device, settings), now, settings.thresholds);
      if (liveness !== device.status) {
        setStatus(ctx, device, liveness);
        applied++;
      }
    }
    if (++scanned >= SCAN_PER_SLICE || applied >= TRANSITIONS_PER_SLICE) break;
  }
  const rest = setImmediate(() => {
    try {
      evaluateSlice(ctx, fleet, devices);
    } catch (err) {
      ctx.logger.error({ err }, 'status timer failed'); // outside the timer's own try/catch here
    }
  });
  rest.unref();
  unfinished.set(ctx, rest);
}
