/**
 * createFleet: the whole FleetDesk core behind one object — database, services, the device listener
 * (LAN) and the admin listener (loopback) — used alike by the Electron shell, the headless CLI and tests.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { MdnsInterfaceChoice, RegistrationPolicy, SeenDevice, ServerInfo } from '../../shared/api';
import { lockDataDir, type DataDirLock } from './data-dir/lock';
import { assertQuickCheck, DatabaseDamagedError, isDamage } from './db/integrity';
import { createIntegrityChecker } from './db/integrity-check';
import { createBackupService, type BackupService } from './backups/backup-service';
import { closeDatabase, openDatabase, type Database } from './db/open';
import { startFleetDiscovery } from './discovery/fleet-adapter';
import { selectLanAddresses } from './discovery/interfaces';
import { createSettingsRepo } from './db/repos/settings-repo';
import { createAdminApp } from './http/admin/app';
import { createAdminAuth, SESSION_COOKIE, type AdminAuth } from './http/admin/auth';
import { deviceUrls } from './http/addresses';
import { createDeviceApp, DEFAULT_REGISTER_RATE_LIMIT, type RegisterRateLimit } from './http/device/app';
import { DEFAULT_DEVICE_CONNECTION_LIMITS, listen, type ConnectionLimits, type Listener } from './http/listen';
import { assertMetricsToken, createMetricsLanApp, METRICS_LAN_CONNECTION_LIMITS, type MetricsLanOptions } from './http/metrics-lan';
import { createServices } from './services';
import { isLoopback } from './services/admission/network';
import type { Clock, FleetServices } from './services/contracts';
import type { CoreServices } from './services';
import type { TransferService } from './services/transfer/transfer-service';

export interface FleetOptions {
  dataDir: string;
  /** LAN listener for devices; default 0.0.0.0 and the devicePort setting (3000) */
  device?: { host?: string; port?: number };
  /** loopback admin listener; default port 3001, 0 = ephemeral */
  admin?: { port?: number };
  /** bearer token for scripts; generated when absent */
  adminToken?: string;
  /** overrides the stored registration policy at start when given */
  policy?: RegistrationPolicy;
  /** advertise over mDNS (default true) */
  mdns?: boolean;
  /** the built renderer (index.html + assets) served on the admin listener */
  rendererDir?: string;
  clock?: Clock;
  logger?: Logger;
  /** better_sqlite3.node built for Electron's ABI */
  nativeBinding?: string;
  timers?: { flushMs?: number; statusMs?: number; retentionMs?: number };
  /** per-network register rate limit of the device listener (tests tighten it) */
  registerRateLimit?: RegisterRateLimit;
  /**
   * Loopback clients spend no new-device budget and pass the register rate limit (default true:
   * the simulator and the benchmark run there); the hostile-LAN tests switch it off.
   */
  exemptLoopback?: boolean;
  /** device listener connection limits and timeouts (tests tighten them) */
  deviceConnections?: ConnectionLimits;
  /** reported in GET /api/server */
  version?: string;
  /**
   * GET /metrics on the LAN for a Prometheus server elsewhere, with its own bearer token; off when
   * absent (the admin listener serves /metrics on loopback regardless).
   */
  metricsLan?: MetricsLanOptions;
}

export interface Fleet {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly services: FleetServices;
  readonly backups: BackupService;
  /** export, import, the original database, replacing a device */
  readonly transfer: TransferService;
  readonly deviceAddress: { host: string; port: number; urls: string[] };
  readonly adminUrl: string;
  readonly adminToken: string;
  /** where the LAN metrics listener is bound, or null when it is off */
  readonly metricsLanAddress: { host: string; port: number } | null;
  readonly serverId: string;
  createLoginUrl(): string;
  createSession(): { name: string; value: string };
  /** where and whether the app is advertised over mDNS right now */
  discoveryState(): ServerInfo['mdns'];
}

const DEFAULT_DEVICE_PORT = 3000;
const DEFAULT_ADMIN_PORT = 3001;
const SERVER_ID_KEY = 'serverId';

interface Running {
  db: Database;
  services: CoreServices;
  backups: BackupService;
  deviceListener: Listener;
  adminListener: Listener;
  metricsListener: Listener | null;
  shutdown: AbortController;
  lock: DataDirLock;
}

/** The server id lives in the settings table so it survives restarts (devices pin to it via mDNS TXT). */
function loadOrCreateServerId(db: Database): string {
  const repo = createSettingsRepo(db);
  const stored = repo.load().get(SERVER_ID_KEY);
  if (typeof stored === 'string' && stored.length > 0) return stored;
  const id = randomUUID();
  repo.save(SERVER_ID_KEY, id);
  return id;
}

/** mDNS advertisement and browsing; name and interfaces follow the settings. */
function startDiscovery(input: { port: number; serverId: string; services: FleetServices; logger: Logger }): Promise<DiscoveryHandle> {
  return startFleetDiscovery(input);
}

interface DiscoveryHandle {
  state: () => ServerInfo['mdns'];
  /** devices advertising themselves on the LAN */
  seen: () => SeenDevice[];
  stop: () => Promise<void>;
}

/**
 * The interfaces the user may pick for mDNS, through the same selection the advertiser uses: naming
 * every interface takes all of them (loopback aside), naming none applies the "LAN only" rules.
 */
function mdnsInterfaceChoices(): MdnsInterfaceChoice[] {
  const snapshot = os.networkInterfaces();
  const byDefault = new Set(selectLanAddresses(snapshot, []).map((a) => a.address));
  return selectLanAddresses(snapshot, Object.keys(snapshot).sort())
    .map(({ name, address }) => ({ name, address, advertisedByDefault: byDefault.has(address) }));
}

/**
 * `--policy key` without a stored enrollment key would lock every new device out: generate one
 * (shown in the settings panel) instead of refusing to start.
 */
function applyStartupPolicy(services: FleetServices, policy: RegistrationPolicy | undefined, logger: Logger): void {
  const settings = services.settings.get();
  if (!policy || settings.registrationPolicy === policy) return;
  if (policy === 'key' && settings.enrollmentKey.trim() === '') {
    const enrollmentKey = randomBytes(9).toString('base64url');
    services.settings.patch({ registrationPolicy: policy, enrollmentKey }, 'startup');
    // The key is a secret: it is shown in Settings, never written to the log.
    logger.info('registration policy "key": generated an enrollment key (shown in Settings)');
    return;
  }
  services.settings.patch({ registrationPolicy: policy }, 'startup');
}

export function createFleet(options: FleetOptions): Fleet {
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const logger = options.logger ?? pino({ level: 'info' });
  const deviceHost = options.device?.host ?? '0.0.0.0';
  const auth: AdminAuth = createAdminAuth({ adminToken: options.adminToken, clock });
  if (options.metricsLan) assertMetricsToken(options.metricsLan.token);
  const metricsHost = options.metricsLan?.host ?? '0.0.0.0';
  let running: Running | null = null;
  let serverId = '';
  let discovery: DiscoveryHandle | null = null;
  const mdnsOff: ServerInfo['mdns'] = { enabled: false, state: 'off', name: '', interfaces: [] };
  let starting: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;

  const requireRunning = (): Running => {
    if (!running) throw new Error('the fleet is not running: call start() first');
    return running;
  };

  const appVersion = (): string => options.version ?? process.env.npm_package_version ?? '0.0.0';

  /** A restored fleet answers with the backup's server id, so its devices do not re-enroll elsewhere. */
  async function adoptServerId(restoredId: string): Promise<void> {
    if (!restoredId || restoredId === serverId || !running) return;
    serverId = restoredId;
    if (!discovery) return;
    await discovery.stop().catch((err: unknown) => logger.warn({ err }, 'discovery stop failed'));
    discovery = null;
    try {
      discovery = await startDiscovery({ port: running.deviceListener.port, serverId, services: running.services, logger });
    } catch (err) {
      logger.error({ err }, 'mDNS discovery could not restart after the restore');
    }
  }

  const adminUrl = () => `http://127.0.0.1:${requireRunning().adminListener.port}`;

  const serverInfo = (): ServerInfo => {
    const { deviceListener, adminListener, services } = requireRunning();
    const settings = services.settings.get();
    return {
      serverId,
      version: appVersion(),
      device: { bind: deviceHost, port: deviceListener.port, urls: deviceUrls(deviceHost, deviceListener.port) },
      admin: { port: adminListener.port, url: adminUrl() },
      mdns: { ...(discovery?.state() ?? mdnsOff), available: mdnsInterfaceChoices() },
      restartNeeded: settings.devicePort !== deviceListener.port && options.device?.port === undefined ? ['devicePort'] : [],
      dataDir: options.dataDir,
    };
  };

  async function startOnce(): Promise<void> {
    mkdirSync(options.dataDir, { recursive: true });
    // Before the database is opened: a second server must not even migrate it.
    const lock = lockDataDir(options.dataDir);
    const dbFile = join(options.dataDir, 'fleetdesk.db');
    let db: Database;
    try {
      db = openDatabase(dbFile, { nativeBinding: options.nativeBinding });
    } catch (err) {
      lock.release();
      if (isDamage(err)) throw new DatabaseDamagedError(dbFile, (err as Error).message);
      throw err;
    }
    try {
      assertQuickCheck(db, dbFile);
    } catch (err) {
      closeDatabase(db);
      lock.release();
      throw err;
    }
    const shutdown = new AbortController();
    // Every held long-poll and SSE stream listens to it: thousands of listeners are expected.
    setMaxListeners(0, shutdown.signal);
    let services: CoreServices | null = null;
    let backups: BackupService | null = null;
    let deviceListener: Listener | null = null;
    let metricsListener: Listener | null = null;
    try {
      serverId = loadOrCreateServerId(db);
      services = createServices({ db, clock, logger, dataDir: options.dataDir, timers: options.timers,
        budgetExempt: (options.exemptLoopback ?? true) ? isLoopback : () => false,
      });
      applyStartupPolicy(services, options.policy, logger);
      services.start();
      const core = services;
      backups = createBackupService({
        db, dataDir: options.dataDir, clock, logger, appVersion: appVersion(), nativeBinding: options.nativeBinding,
        flush: () => core.flush(),
        reload: (note) => core.reload(note),
        onRestored: (restoredId) => void adoptServerId(restoredId),
      });
      backups.start();
      // The settings' devicePort (editable in the UI, applied at restart) unless the caller forces one.
      const devicePort = options.device?.port ?? services.settings.get().devicePort ?? DEFAULT_DEVICE_PORT;
      const deviceApp = createDeviceApp({ services, logger, shutdownSignal: shutdown.signal, registerRateLimit: options.registerRateLimit ?? { ...DEFAULT_REGISTER_RATE_LIMIT, exemptLoopback: options.exemptLoopback ?? true } });
      deviceListener = await listen(deviceApp.handle, deviceHost, devicePort, '--device-port', options.deviceConnections ?? DEFAULT_DEVICE_CONNECTION_LIMITS, { beforeClose: () => deviceApp.stop() });
      if (options.metricsLan) {
        const metricsApp = createMetricsLanApp({ metrics: services.metrics, token: options.metricsLan.token, logger });
        metricsListener = await listen(metricsApp, metricsHost, options.metricsLan.port, '--metrics-port', METRICS_LAN_CONNECTION_LIMITS);
      }
      let adminPort = 0;
      const adminApp = createAdminApp({
        services, auth, logger, serverInfo, rendererDir: options.rendererDir, shutdownSignal: shutdown.signal, port: () => adminPort,
        seenDevices: () => discovery?.seen() ?? [], backups, transfer: services.transfer, metrics: services.metrics,
        integrity: createIntegrityChecker({
          file: dbFile, nativeBinding: options.nativeBinding, now: () => clock.now(),
          onDone: (report) => logger.info({ integrity: report.state, problems: report.problems.slice(0, 5) }, 'database integrity check finished'),
        }),
      });
      const adminListener = await listen(adminApp, '127.0.0.1', options.admin?.port ?? DEFAULT_ADMIN_PORT, '--admin-port');
      adminPort = adminListener.port;
      services.alerts.setLinkBase(`http://127.0.0.1:${adminPort}`);
      lock.describe({ devicePort: deviceListener.port, adminUrl: `http://127.0.0.1:${adminPort}` });
      running = { db, services, backups, deviceListener, adminListener, metricsListener, shutdown, lock };
    } catch (err) {
      running = null;
      shutdown.abort();
      await deviceListener?.close(0);
      await metricsListener?.close(0);
      await backups?.stop();
      services?.stop();
      closeDatabase(db);
      lock.release();
      throw err;
    }
    // mDNS trouble never stops the fleet: devices can still be pointed at the URL by hand.
    if (options.mdns ?? true) {
      try {
        discovery = await startDiscovery({ port: running.deviceListener.port, serverId, services: running.services, logger });
      } catch (err) {
        logger.error({ err }, 'mDNS discovery could not start');
      }
    }
    logger.info({ device: `${deviceHost}:${running.deviceListener.port}`, admin: adminUrl() }, 'fleet started');
  }

  async function stopOnce(): Promise<void> {
    if (starting) await starting.catch(() => undefined);
    const current = running;
    if (!current) return;
    // Order: no new work, end long-polls and streams, let in-flight replies finish, then flush and close.
    await discovery?.stop().catch((err: unknown) => logger.warn({ err }, 'discovery stop failed')); // goodbye packets first
    discovery = null;
    current.shutdown.abort();
    await Promise.all([current.deviceListener.close(), current.adminListener.close(), current.metricsListener?.close()]);
    await current.backups.stop();
    current.services.stop();
    closeDatabase(current.db);
    current.lock.release();
    running = null;
    logger.info('fleet stopped');
  }

  return {
    start() {
      if (stopping) return Promise.reject(new Error('this fleet was stopped; create a new one'));
      starting ??= startOnce();
      return starting;
    },
    stop() {
      stopping ??= stopOnce();
      return stopping;
    },
    get services() {
      return requireRunning().services;
    },
    get backups() {
      return requireRunning().backups;
    },
    get transfer() {
      return requireRunning().services.transfer;
    },
    get deviceAddress() {
      const { port } = requireRunning().deviceListener;
      return { host: deviceHost, port, urls: deviceUrls(deviceHost, port) };
    },
    get adminUrl() {
      return adminUrl();
    },
    adminToken: auth.adminToken,
    get metricsLanAddress() {
      const listener = requireRunning().metricsListener;
      return listener ? { host: metricsHost, port: listener.port } : null;
    },
    get serverId() {
      requireRunning();
      return serverId;
    },
    createLoginUrl() {
      return `${adminUrl()}/login?token=${auth.issueLoginToken()}`;
    },
    createSession() {
      return { name: SESSION_COOKIE, value: auth.createSession() };
    },
    discoveryState() {
      return discovery?.state() ?? mdnsOff;
    },
  };
}
