import type { Database } from 'better-sqlite3';
import { summaryOf } from '../db/device-codec';
import type { WriteQueue } from '../db/persistence';
import type { Repos } from '../db/repos';
import { notFound } from '../errors';
import { deviceIdOrThrow } from '../ids';
import type { DeltaBusImpl } from '../events/delta-bus';
import type { EventLog } from '../events/event-log';
import type { DeviceRuntime, FleetState } from '../state/runtime';
import type { UndoJournal } from '../state/undo-journal';
import type { FirmwareImageCheck } from './firmware/image-check';
import type { DeviceWaiters } from '../state/waiters';
import type { AdmissionState } from './admission/admission-state';
import type { HistoryRecorder } from './history/history-recorder';
import type { Clock } from './contracts';
import type { AlertCheckinTap } from './alerts/checkin-tap';
import type { RolloutHooks } from './rollouts/rollout-service';
import type { MetricsRegistry } from '../metrics/registry';

/** pino-compatible subset, so tests can pass a silent logger. */
export interface ServicesLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Everything the services share; one per createServices call. */
export interface ServiceContext {
  db: Database;
  /** the persistence unit's repositories: reads of what the write-behind feeds are never behind memory */
  repos: Repos;
  clock: Clock;
  logger: ServicesLogger;
  dataDir: string;
  randomBytes: (size: number) => Buffer;
  state: FleetState;
  bus: DeltaBusImpl;
  waiters: DeviceWaiters;
  writeBehind: WriteQueue;
  events: EventLog;
  /** budgets, caps, claims and pre-authorised ids for devices that are new or claim an identity */
  admission: AdmissionState;
  undo: UndoJournal;
  /** per-device hourly history, accumulated at check-in (services/history/) */
  history: HistoryRecorder;
  /** whether stored firmware files still match their sha256 */
  images: FirmwareImageCheck;
  /** check-ins noted for the alert engine (drained on the status tick) */
  alertTap: AlertCheckinTap;
  /** what the check-in path and the firmware route ask of rollout campaigns */
  rollouts: RolloutHooks;
  /** the Prometheus registry other services add their metrics to (see metrics/registry.ts) */
  metrics: MetricsRegistry;
  /**
   * Runs fn in one transaction; deltas it emits go out after the commit. Services validate
   * before writing, write, then update memory, announcing each object to `undo` first: when the
   * transaction fails midway, exactly those objects are put back as they were.
   */
  atomically<T>(fn: () => T): T;
}

/** The device or not_found; accepts any spelling of the id that normalises. */
export function deviceOrThrow(ctx: ServiceContext, rawId: string): DeviceRuntime {
  const id = deviceIdOrThrow(rawId);
  const device = ctx.state.devices.get(id);
  if (!device) throw notFound('device', id);
  return device;
}

export function emitDevice(ctx: ServiceContext, device: DeviceRuntime): void {
  ctx.bus.emit({ type: 'device', device: summaryOf(device, ctx.state) });
}

/** Something the device should learn about changed: tell the UI and wake its long-poll. */
export function deviceChanged(ctx: ServiceContext, device: DeviceRuntime): void {
  emitDevice(ctx, device);
  ctx.waiters.notify(device.id);
}
