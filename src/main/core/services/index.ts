/**
 * createServices: the rules of the fleet behind the seam of contracts.ts. Builds the in-memory
 * state from the database, wires the write-behind buffer, the delta bus and the long-poll
 * waiters, and runs the timers (write-behind flush, status and command expiry, telemetry retention).
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { normalizeDeviceId } from '../../../shared/device-id';
import { createRepos } from '../db/repos';
import { FleetError } from '../errors';
import { DeltaBusImpl } from '../events/delta-bus';
import { EventLog } from '../events/event-log';
import { loadFleetState } from '../state/load';
import { summaryOf } from '../state/runtime';
import { DeviceWaiters } from '../state/waiters';
import { WriteBehind } from '../state/write-behind';
import { expireCommands } from './commands/command-lifecycle';
import { createCommandService } from './commands/command-service';
import { createConfigService } from './config/config-service';
import type { ServiceContext, ServicesLogger } from './context';
import type { Clock, FleetServices } from './contracts';
import { createDeviceAdminService } from './devices/device-admin-service';
import { createFirmwareService } from './firmware/firmware-service';
import { createProfileService } from './profiles/profile-service';
import { createProtocolService } from './protocol/protocol-service';
import { createSettingsService, loadSettings } from './settings/settings-service';
import { evaluateStatuses } from './status/status-monitor';
import { createTelemetryService } from './telemetry-service';

export type { ServicesLogger } from './context';

const LIVENESS_DELTA_MS = 5000;

export interface CreateServicesOptions {
  db: Database;
  /** holds firmware/ (images by sha256) */
  dataDir: string;
  clock: Clock;
  logger: ServicesLogger;
  randomBytes?: (size: number) => Buffer;
  timers?: { flushMs?: number; statusMs?: number; retentionMs?: number };
  /** upload limit; FIRMWARE_MAX_BYTES unless a test wants a small one */
  firmwareMaxBytes?: number;
}

/** FleetServices plus hooks tests and the benchmark use to drive time-based work directly. */
export interface CoreServices extends FleetServices {
  /** Writes the write-behind buffer now. */
  flush(): void;
  /** Runs one round of the status timer (liveness transitions and command expiry). */
  tick(): void;
  /** Drops telemetry older than the retention setting; returns the number of samples removed. */
  purgeTelemetry(): number;
}

export function createServices(options: CreateServicesOptions): CoreServices {
  const { db, clock, logger } = options;
  const repos = createRepos(db);
  const bus = new DeltaBusImpl((err) => logger.error({ err }, 'delta listener failed'));
  const waiters = new DeviceWaiters();
  let state = loadFleetState(repos, loadSettings(repos.settings));
  // Flushed devices are announced so the UI sees last-seen and telemetry move, at most once per
  // LIVENESS_DELTA_MS per device: a fleet under check-in load must not flood the SSE stream.
  // (Changes the list shows beyond liveness are announced at once by the check-in itself.)
  const writeBehind = new WriteBehind(db, (flushed) => {
    if (!bus.hasListeners) return;
    const now = clock.now();
    for (const device of flushed) {
      if (state.devices.get(device.id) !== device || now - device.lastLivenessDeltaAt < LIVENESS_DELTA_MS) continue;
      device.lastLivenessDeltaAt = now;
      bus.emit({ type: 'device', device: summaryOf(device, state) });
    }
  });
  const events = new EventLog(repos.events, bus, clock, writeBehind);

  const ctx: ServiceContext = {
    db, repos, clock, logger, dataDir: options.dataDir,
    randomBytes: options.randomBytes ?? cryptoRandomBytes,
    get state() {
      return state;
    },
    bus, waiters, writeBehind, events,
    atomically<T>(fn: () => T): T {
      try {
        return bus.hold(() => db.transaction(fn)());
      } catch (err) {
        if (!(err instanceof FleetError)) {
          // Memory may be ahead of a rolled-back transaction: rebuild it from what was committed.
          logger.error({ err }, 'operator change failed; reloading fleet state from the database');
          try {
            writeBehind.flush();
          } catch (flushErr) {
            logger.error({ err: flushErr }, 'flush before reload failed');
          }
          state = loadFleetState(repos, loadSettings(repos.settings));
        }
        throw err;
      }
    },
  };

  const flush = (): void => {
    try {
      writeBehind.flush();
    } catch (err) {
      logger.error({ err }, 'write-behind flush failed');
    }
  };
  const tick = (): void => {
    evaluateStatuses(ctx);
    expireCommands(ctx);
  };
  const purgeTelemetry = (): number =>
    repos.telemetry.purgeOlderThan(clock.now() - state.settings.telemetryRetentionDays * 86_400_000);

  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, work: () => void, what: string): void => {
    const timer = setInterval(() => {
      try {
        work();
      } catch (err) {
        logger.error({ err }, `${what} failed`);
      }
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    protocol: createProtocolService(ctx),
    devices: createDeviceAdminService(ctx),
    config: createConfigService(ctx),
    profiles: createProfileService(ctx),
    commands: createCommandService(ctx),
    firmware: createFirmwareService(ctx, { maxBytes: options.firmwareMaxBytes }),
    events: {
      list(query) {
        flush(); // device-driven events trail in the write-behind buffer
        const deviceId = query.deviceId === undefined ? undefined : (normalizeDeviceId(query.deviceId) ?? query.deviceId);
        return events.list({ ...query, deviceId, limit: Math.max(1, Math.min(query.limit, 500)) });
      },
    },
    settings: createSettingsService(ctx),
    telemetry: createTelemetryService(ctx),
    deltas: bus,
    flush,
    tick,
    purgeTelemetry,
    start() {
      if (timers.length > 0) return;
      tick();
      purgeTelemetry();
      every(options.timers?.flushMs ?? 1000, flush, 'write-behind flush');
      every(options.timers?.statusMs ?? 1000, tick, 'status timer');
      every(options.timers?.retentionMs ?? 3_600_000, purgeTelemetry, 'telemetry retention');
    },
    stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      waiters.notifyAll();
      writeBehind.stopSteps();
      writeBehind.flush();
    },
  };
}
