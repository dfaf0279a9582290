/**
 * createServices: the rules of the fleet behind the seam of contracts.ts. Builds the in-memory
 * state from the database, wires the persistence unit, the delta bus and the long-poll waiters,
 * and runs the timers (status and command expiry, telemetry retention; the write-behind flush
 * timer is the persistence unit's).
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { createPersistence } from '../db/persistence';
import type { WriteBehindPacing } from '../db/write-behind';
import { FleetError } from '../errors';
import { DeltaBusImpl } from '../events/delta-bus';
import { EventLog } from '../events/event-log';
import { loadFleetState } from '../db/load-fleet';
import { registerCampaignMetrics } from '../metrics/campaign-metrics';
import { registerFleetMetrics } from '../metrics/fleet-metrics';
import { createMetricsRegistry, type MetricsRegistry } from '../metrics/registry';
import { type Scheduler, intervalScheduler } from '../scheduler';
import { UndoJournal } from '../state/undo-journal';
import { DeviceWaiters } from '../state/waiters';
import { loadAdmission } from './admission/admission-state';
import { type AdmissionService, createAdmissionService } from './admission/admission-service';
import { createAlertService } from './alerts/alert-service';
import { AlertCheckinTap } from './alerts/checkin-tap';
import { isLoopback } from './admission/network';
import { expireCommands } from './commands/command-lifecycle';
import { createCommandService } from './commands/command-service';
import { createConfigService } from './config/config-service';
import type { ServiceContext, ServicesLogger } from './context';
import type { Clock, FleetServices } from './contracts';
import { createDeviceAdminService } from './devices/device-admin-service';
import { createEventService } from './events/event-service';
import { createFirmwareService } from './firmware/firmware-service';
import { FirmwareImageCheck, removeInterruptedUploads } from './firmware/image-check';
import { createProfileService } from './profiles/profile-service';
import { createProtocolService } from './protocol/protocol-service';
import { type PruneResult, pruneHistory } from './retention';
import { createSettingsService, loadSettings } from './settings/settings-service';
import { evaluateStatuses } from './status/status-monitor';
import { createTelemetryService } from './telemetry-service';
import { HistoryRecorder } from './history/history-recorder';
import { createHistoryService } from './history/history-service';
import { createTransferService, type TransferService } from './transfer/transfer-service';
import { NO_ROLLOUT_HOOKS, createRolloutService } from './rollouts/rollout-service';

export type { ServicesLogger } from './context';

export interface CreateServicesOptions {
  db: Database;
  /** holds firmware/ (images by sha256) */
  dataDir: string;
  clock: Clock;
  logger: ServicesLogger;
  randomBytes?: (size: number) => Buffer;
  timers?: { flushMs?: number; statusMs?: number; retentionMs?: number; pruneMs?: number; alertDeliveryMs?: number; rolloutMs?: number; historyMs?: number };
  /**
   * Clients that spend no new-device budget; default loopback (the simulator, the benchmark and
   * the operator's own tools run there). The caps apply to everyone.
   */
  budgetExempt?: (remoteAddress: string) => boolean;
  /** runs the repeating timers; real intervals unless a test wants to run them itself */
  scheduler?: Scheduler;
  /** how the write-behind drains itself between flushes (a test can push it out of the way) */
  writeBehindPacing?: WriteBehindPacing;
  /** false: check-ins feed no hourly history (the benchmark measures the check-in cost without it) */
  recordHistory?: boolean;
  /** upload limit; FIRMWARE_MAX_BYTES unless a test wants a small one */
  firmwareMaxBytes?: number;
}

/** FleetServices plus hooks tests and the benchmark use to drive time-based work directly. */
export interface CoreServices extends FleetServices {
  /** export, import, pre-registration, the original database, replacing a device */
  transfer: TransferService;
  /** Writes the write-behind buffer now (the flush timer's work). */
  flush(): void;
  /** Runs one round of the status timer (liveness transitions and command expiry). */
  tick(): void;
  /** Runs the history timer once: closes finished hours, samples the fleet's status and firmware. */
  sampleHistory(): void;
  /** Drops raw samples and history older than their retention settings; returns the number of rows removed. */
  purgeTelemetry(): number;
  /** One retention run over events, finished commands and expired claims (in small batches). */
  prune(): Promise<PruneResult>;
  admission: AdmissionService;
  /** GET /metrics: the fleet's metrics and whatever other services registered */
  metrics: MetricsRegistry;
  /**
   * Rebuilds memory from the database after its rows were replaced underneath (a restore), and
   * records why; held long-polls are woken so every device gets an answer from the new state.
   */
  reload(note: { message: string; data: Record<string, unknown> }): void;
}

export function createServices(options: CreateServicesOptions): CoreServices {
  const { db, clock, logger } = options;
  const scheduler = options.scheduler ?? intervalScheduler;
  const persistence = createPersistence(db, {
    logger, scheduler, flushMs: options.timers?.flushMs, pacing: options.writeBehindPacing,
  });
  const { repos } = persistence;
  const bus = new DeltaBusImpl((err) => logger.error({ err }, 'delta listener failed'));
  const waiters = new DeviceWaiters();
  let state = loadFleetState(repos, loadSettings(repos.settings));
  const events = new EventLog(repos.events, bus, clock, persistence.queue);
  const admission = loadAdmission(
    repos,
    () => ({ perMinute: state.settings.newDevicesPerMinute, perNetworkPerMinute: state.settings.newDevicesPerNetworkPerMinute }),
    options.budgetExempt ?? isLoopback,
  );
  const undo = new UndoJournal();
  const firmwareDir = join(options.dataDir, 'firmware');
  const leftovers = removeInterruptedUploads(firmwareDir);
  if (leftovers.length > 0) logger.info({ files: leftovers }, 'removed temp files of interrupted firmware uploads');
  const images = new FirmwareImageCheck(firmwareDir, (sha256, damage) => {
    const uses = [...state.firmware.values()].filter((f) => f.sha256 === sha256);
    logger.warn({ sha256, damage }, 'firmware image damaged on disk: no longer offered or served');
    try {
      events.record('firmware_damaged', null, `${uses.map((f) => `${f.name} ${f.version}`).join(', ') || sha256}: ${damage}; upload it again`, {
        sha256, firmwareIds: uses.map((f) => f.id),
      });
    } catch (err) {
      logger.error({ err }, 'could not record the damaged firmware event');
    }
    bus.emit({ type: 'firmware' });
  });
  for (const sha256 of new Set([...state.firmware.values()].map((f) => f.sha256))) images.verify(sha256);

  const metrics = createMetricsRegistry();
  registerFleetMetrics(metrics, { state: () => state });

  const ctx: ServiceContext = {
    db, repos, clock, logger, dataDir: options.dataDir,
    randomBytes: options.randomBytes ?? cryptoRandomBytes,
    get state() {
      return state;
    },
    bus, waiters, writeBehind: persistence.queue, events, admission, undo, images, alertTap: new AlertCheckinTap(), rollouts: NO_ROLLOUT_HOOKS, metrics,
    history: new HistoryRecorder(persistence.queue, () => repos.history, () => state.settings.thresholds, options.recordHistory ?? true),
    atomically<T>(fn: () => T): T {
      try {
        return undo.run(() => bus.hold(() => db.transaction(fn)()));
      } catch (err) {
        if (!(err instanceof FleetError)) logger.error({ err }, 'operator change failed and was rolled back');
        throw err;
      }
    },
  };

  const alerts = createAlertService(ctx, ctx.alertTap);
  const rollouts = createRolloutService(ctx);
  ctx.rollouts = rollouts.hooks;
  registerCampaignMetrics(metrics, { alerts: () => alerts.counts(), rollouts: () => rollouts.service.list() });

  const tick = (): void => {
    evaluateStatuses(ctx);
    expireCommands(ctx);
    alerts.evaluate();
  };
  const purgeTelemetry = (): number =>
    repos.telemetry.purgeOlderThan(clock.now() - state.settings.telemetryRetentionDays * 86_400_000) +
    repos.history.purgeOlderThan(clock.now() - state.settings.historyRetentionDays * 86_400_000);
  const history = createHistoryService(ctx, ctx.history);
  const sampleHistory = history.sampler();

  let pruning: Promise<PruneResult> | null = null;
  const prune = (): Promise<PruneResult> => {
    pruning ??= pruneHistory(ctx).finally(() => {
      pruning = null;
    });
    return pruning;
  };

  const timers: (() => void)[] = [];
  const every = (ms: number, work: () => void, what: string): void => {
    timers.push(
      scheduler.every(ms, () => {
        try {
          work();
        } catch (err) {
          logger.error({ err }, `${what} failed`);
        }
      }),
    );
  };

  return {
    protocol: createProtocolService(ctx),
    devices: createDeviceAdminService(ctx),
    config: createConfigService(ctx),
    profiles: createProfileService(ctx),
    commands: createCommandService(ctx),
    firmware: createFirmwareService(ctx, { maxBytes: options.firmwareMaxBytes }),
    events: createEventService(ctx),
    settings: createSettingsService(ctx),
    admission: createAdmissionService(ctx),
    telemetry: createTelemetryService(ctx, history),
    alerts,
    transfer: createTransferService(ctx),
    rollouts: rollouts.service,
    deltas: bus,
    metrics,
    flush: () => {
      // A backup copies what is on disk: the hour of history still accumulating in memory goes
      // too (later check-ins of that hour merge into the written bucket, as after a restart).
      ctx.history.closeAll();
      persistence.flush();
      rollouts.service.flush();
    },
    tick,
    purgeTelemetry,
    sampleHistory,
    prune,
    reload(note) {
      persistence.flush();
      state = loadFleetState(repos, loadSettings(repos.settings));
      rollouts.service.reload();
      // claims and pre-authorised ids are rows of the restored database too
      admission.claims = new Map(repos.admission.claims().map((c) => [c.deviceId, c]));
      admission.preauthorized = new Set(repos.admission.preauthorized().map((p) => p.id));
      // event ids come from an in-memory counter: continue after the restored log
      ctx.events = new EventLog(repos.events, bus, clock, persistence.queue);
      ctx.events.record('backup_restored', null, note.message, note.data);
      alerts.reload();
      bus.emit({ type: 'settings' });
      bus.emit({ type: 'server' });
      waiters.notifyAll();
    },
    start() {
      if (timers.length > 0) return;
      tick();
      purgeTelemetry();
      persistence.start();
      every(options.timers?.statusMs ?? 1000, tick, 'status timer');
      every(options.timers?.rolloutMs ?? 1000, () => {
        rollouts.service.tick();
        rollouts.service.flush();
      }, 'rollout gate timer');
      every(options.timers?.retentionMs ?? 3_600_000, purgeTelemetry, 'telemetry retention');
      sampleHistory();
      every(options.timers?.historyMs ?? 60_000, sampleHistory, 'history sampler');
      every(options.timers?.pruneMs ?? 600_000, () => {
        prune().catch((err: unknown) => logger.error({ err }, 'event and command retention failed'));
      }, 'event and command retention');
      every(options.timers?.alertDeliveryMs ?? 500, () => void alerts.pump(), 'alert delivery');
    },
    stop() {
      for (const stopTimer of timers.splice(0)) stopTimer();
      alerts.stop();
      try {
        rollouts.service.flush();
      } catch (err) {
        logger.error({ err }, 'could not write rollout progress');
      }
      waiters.notifyAll();
      ctx.history.closeAll();
      persistence.stop();
    },
  };
}
