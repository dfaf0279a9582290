/**
 * SimulatedDevice: one virtual ESP8266 speaking the FleetDesk device protocol (docs/protocol.md)
 * the way the firmware does — register, check in with telemetry, long-poll, apply config, run
 * commands, update firmware with an MD5 check — so the e2e tests, the benchmark and
 * `npm run simulate` all drive the server through the same client.
 *
 * Two ways to use it:
 *  - step by step (tests): `await dev.register(); await dev.checkin(); …` — every call does what
 *    the firmware does with the reply (apply config, run commands, download firmware) before it
 *    resolves; acks and the applied cfgsn travel on the next check-in.
 *  - free-running: `dev.start()` loops check-ins (long-poll when `wait` > 0) with backoff on
 *    errors until `await dev.stop()`.
 * Observe through the getters and the events (see SimulatedDeviceEvents); `waitFor` turns an
 * event into a promise, e.g. `await dev.waitFor('config', (e) => e.cfgsn >= 3)`.
 */
import { EventEmitter } from 'node:events';
import type { ConfigObject } from '../shared/config';
import type { CheckinReply, CheckinRequest, FirmwareOffer, RegisterReply, RegisterRequest } from '../shared/protocol';
import { BootSlots } from './boot';
import { CommandRunner } from './command-runner';
import type { DeviceRunStatus, FirmwareOutcome, OtaReport, PersistedDevice, SimulatedDeviceEvents, SimulatedDeviceOptions } from './device-types';
import { HttpError, requestJson } from './http-client';
import { legacyPoll, legacyRegister } from './legacy';
import { downloadFirmware } from './ota';
import { backoffMs, nextCheckinDelayMs } from './schedule';
import { TelemetryWalk, type Random } from './telemetry';

export type * from './device-types';

const DEFAULT_INTERVAL = 30;

export class SimulatedDevice extends EventEmitter<SimulatedDeviceEvents> {
  readonly mac: string;
  readonly legacy: boolean;
  token: string | null;
  /** registration state as the server last told it */
  state: RegisterReply['state'] | 'unregistered' = 'unregistered';
  cfgsn: number;
  config: ConfigObject;
  fwName: string;
  fwVersion: string;
  fwMd5: string | undefined;
  interval: number;
  status: DeviceRunStatus = 'idle';
  /** failed requests since construction */
  errors = 0;
  lastError: Error | null = null;
  checkins = 0;
  /** cfgsn the server last asked for, and the cfgsn this device last reported applied */
  desiredCfgsn = 0;
  reportedCfgsn: number | null = null;
  readonly telemetry: TelemetryWalk;
  /** the two ROM slots, boot count and trial state the device reports (docs/protocol.md §7.2) */
  readonly boot = new BootSlots();

  private readonly server: string;
  private readonly options: SimulatedDeviceOptions;
  private readonly random: Random;
  private readonly clock: { now(): number };
  private bootedAt: number;
  private needsRegistration = true;
  private readonly commands: CommandRunner;
  private otaReport: OtaReport | null = null;
  private readonly failedFirmware = new Set<number>();
  private running = false;
  private loop: Promise<void> | null = null;
  private inFlight: AbortController | null = null;
  private wakeSleep: (() => void) | null = null;

  constructor(options: SimulatedDeviceOptions) {
    super();
    this.options = options;
    this.server = options.server.replace(/\/+$/, '');
    this.mac = options.mac;
    this.legacy = options.legacy ?? false;
    this.token = options.token ?? null;
    this.cfgsn = options.cfgsn ?? 0;
    this.config = options.config ?? {};
    this.fwName = options.fwName ?? 'fleetdesk-sim';
    this.fwVersion = options.fwVersion ?? '1.0.0';
    this.fwMd5 = options.fwMd5;
    this.interval = options.interval ?? DEFAULT_INTERVAL;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date;
    this.telemetry = new TelemetryWalk(this.random);
    this.commands = new CommandRunner({
      onCommand: options.onCommand,
      identify: (commandId, seconds) => {
        this.log(`identify: blinking the LED for ${seconds} s`);
        this.emit('identify', { commandId });
      },
      executed: (command, ack) => this.emit('command', { command, ack }),
    });
    this.bootedAt = this.clock.now();
  }

  /** the server wants a config this device has not yet applied and reported */
  get configPending(): boolean {
    if (this.state !== 'active') return false;
    return this.legacy ? this.desiredCfgsn > this.cfgsn : this.desiredCfgsn > (this.reportedCfgsn ?? -1);
  }

  /** seconds since the last (simulated) boot */
  get uptime(): number {
    return Math.max(0, Math.floor((this.clock.now() - this.bootedAt) / 1000));
  }

  get ip(): string {
    // TEST-NET-1 (RFC 5737): a plausible address that can never be a real host on the LAN
    return this.options.ip ?? `192.0.2.${(parseInt(this.mac.replace(/\W/g, '').slice(-2), 16) % 254) + 1}`;
  }

  get ssid(): string {
    return this.options.ssid ?? 'fleetdesk-sim';
  }

  snapshot(): PersistedDevice {
    return { mac: this.mac, token: this.token, cfgsn: this.cfgsn, config: this.config, fwName: this.fwName, fwVersion: this.fwVersion, fwMd5: this.fwMd5 };
  }

  /** Boot-time registration. v1: POST …/register (with the stored token, if any). */
  async register(): Promise<RegisterReply> {
    this.setStatus('registering');
    try {
      const reply = this.legacy ? await legacyRegister(this.legacyContext()) : await this.registerV1();
      this.needsRegistration = false;
      return reply;
    } catch (error) {
      this.recordFault('register', error);
      if (error instanceof HttpError && error.status === 401) this.token = null; // stale token: ask for a new one next time
      this.setStatus(error instanceof HttpError && (error.status === 401 || error.status === 409 || error.status === 403) ? 'rejected' : 'offline');
      throw error;
    }
  }

  /**
   * One check-in, plus everything the firmware does with the reply. Registers first when the
   * device has just (re)booted. `wait` long-polls up to that many seconds.
   */
  async checkin(options: { wait?: number } = {}): Promise<CheckinReply> {
    if (this.needsRegistration || (!this.legacy && !this.token)) await this.register();
    const wait = options.wait ?? 0;
    const started = performance.now();
    let reply: CheckinReply;
    try {
      reply = this.legacy ? await legacyPoll(this.legacyContext(), () => { this.needsRegistration = true; }) : await this.checkinV1(wait);
    } catch (error) {
      this.recordFault('checkin', error);
      if (error instanceof HttpError && error.status === 401) this.needsRegistration = true;
      this.setStatus(error instanceof HttpError && error.status === 403 ? 'blocked' : 'offline');
      throw error;
    }
    this.checkins += 1;
    this.emit('checkin', { reply, latencyMs: performance.now() - started });
    await this.handleReply(reply);
    return reply;
  }

  /** Runs the firmware loop until stop(). `spreadSeconds` delays the first check-in randomly, like devices powering up at different times. */
  start(options: { spreadSeconds?: number } = {}): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.runLoop(options.spreadSeconds ?? 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.inFlight?.abort();
    this.wakeSleep?.();
    await this.loop;
    this.loop = null;
    this.setStatus('stopped');
  }

  /** Resolves with the first event `name` whose payload passes `predicate`; rejects after timeoutMs. */
  waitFor<K extends keyof SimulatedDeviceEvents>(
    name: K,
    predicate: (...args: SimulatedDeviceEvents[K]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<SimulatedDeviceEvents[K]> {
    return new Promise((resolve, reject) => {
      // Typed listener over EventEmitter's generic overloads; the cast only widens the argument tuple.
      const listener = ((...args: SimulatedDeviceEvents[K]) => {
        if (!predicate(...args)) return;
        clearTimeout(timer);
        this.off(name, listener);
        resolve(args);
      }) as never;
      const timer = setTimeout(() => {
        this.off(name, listener);
        reject(new Error(`${this.mac}: no '${String(name)}' event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on(name, listener);
    });
  }

  /** Simulated power cycle: uptime restarts, the heap is fresh, and the device registers again. */
  reboot(reason: string, bootCounted = false): void {
    if (!bootCounted) this.boot.restart(reason === 'power cut' ? 'power_on' : 'soft_restart');
    this.bootedAt = this.clock.now();
    this.telemetry.reboot();
    this.needsRegistration = true;
    this.failedFirmware.clear();
    this.log(`reboot (${reason})`);
    this.emit('reboot', { reason });
  }

  // ---------- v1 protocol ----------

  private async registerV1(): Promise<RegisterReply> {
    const body: RegisterRequest = {
      ...this.options.registerHint,
      ip: this.ip,
      ssid: this.ssid,
      fw: { name: this.fwName, version: this.fwVersion, ...(this.fwMd5 ? { md5: this.fwMd5 } : {}) },
      chip: { id: parseInt(this.mac.replace(/\W/g, '').slice(-6), 16), flash: 4_194_304 },
      boot: this.boot.report(),
      ...(this.options.key ? { key: this.options.key } : {}),
    };
    const { status, body: reply } = await requestJson<RegisterReply>({
      method: 'POST', url: this.url('register'), json: body, headers: this.authHeaders(), agent: this.options.agent, localAddress: this.options.localAddress, timeoutMs: 15_000,
    });
    if (reply.token) this.token = reply.token;
    this.state = reply.state;
    if (reply.interval) this.interval = reply.interval;
    if (reply.config && reply.cfgsn !== this.cfgsn) this.applyConfig(reply.cfgsn, reply.config as ConfigObject); // JSON from the wire
    this.setStatus(reply.state === 'active' ? 'online' : reply.state);
    this.emit('registered', { httpStatus: status, state: reply.state, newToken: Boolean(reply.token) });
    this.log(`registered (${status}, ${reply.state}${reply.token ? ', new token' : ''})`);
    return reply;
  }

  private async checkinV1(wait: number): Promise<CheckinReply> {
    const { rssi, heap } = this.telemetry.step();
    const acks = this.commands.pendingAcks;
    const body: CheckinRequest = {
      cfgsn: this.cfgsn, ip: this.ip, ssid: this.ssid, rssi, heap, uptime: this.uptime,
      fw: { name: this.fwName, version: this.fwVersion, ...(this.fwMd5 ? { md5: this.fwMd5 } : {}) },
      acks,
      ...(this.otaReport ? { ota: this.otaReport } : {}),
      boot: this.boot.report(),
    };
    const query = wait > 0 ? `?wait=${Math.min(60, Math.floor(wait))}` : '';
    this.inFlight = new AbortController();
    this.emit('sent', { cfgsn: this.cfgsn, acks });
    try {
      const { body: reply } = await requestJson<CheckinReply>({
        method: 'POST', url: this.url('checkin') + query, json: body, headers: this.authHeaders(),
        agent: this.options.agent, localAddress: this.options.localAddress, signal: this.inFlight.signal, timeoutMs: wait * 1000 + 15_000,
      });
      // delivered: these acks and the OTA report are the server's now
      this.commands.delivered(acks);
      this.reportedCfgsn = body.cfgsn ?? null;
      this.otaReport = null;
      return reply;
    } finally {
      this.inFlight = null;
    }
  }

  private async handleReply(reply: CheckinReply): Promise<void> {
    this.state = reply.state ?? 'active';
    this.desiredCfgsn = reply.cfgsn;
    if (reply.interval) this.interval = reply.interval;
    this.setStatus(this.state === 'active' ? 'online' : this.state);
    if (reply.config && reply.cfgsn !== this.cfgsn) this.applyConfig(reply.cfgsn, reply.config as ConfigObject); // JSON from the wire
    if (this.boot.takeReply(reply, { version: this.fwVersion, md5: this.fwMd5 })) {
      this.fallBack('soft_restart', 'not confirmed');
      return;
    }
    let rebootRequested = false;
    for (const command of reply.commands ?? []) rebootRequested = this.commands.run(command) || rebootRequested;
    if (reply.firmware && this.wantsFirmware(reply.firmware)) await this.updateFirmware(reply.firmware);
    else if (rebootRequested) this.reboot('reboot command');
  }

  private applyConfig(cfgsn: number, config: ConfigObject): void {
    this.config = config;
    this.cfgsn = cfgsn;
    this.log(`config applied (cfgsn ${cfgsn})`);
    this.emit('config', { cfgsn, config });
  }

  private wantsFirmware(offer: FirmwareOffer): boolean {
    return offer.version !== this.fwVersion && !this.failedFirmware.has(offer.id);
  }

  private async updateFirmware(offer: FirmwareOffer): Promise<void> {
    this.log(`firmware ${offer.version} offered: downloading ${offer.size} bytes`);
    let outcome: FirmwareOutcome;
    try {
      const faults = this.options.faults;
      const download = await downloadFirmware({
        server: this.server, offer, token: this.token, agent: this.options.agent, localAddress: this.options.localAddress, tamper: this.options.tamperFirmware,
        cutMidway: faults?.downloadFailure, bytesPerSecond: faults?.downloadBytesPerSecond,
      });
      outcome = { id: offer.id, version: offer.version, ok: download.ok, message: download.message };
    } catch (error) {
      this.recordFault('firmware', error);
      outcome = { id: offer.id, version: offer.version, ok: false, message: (error as Error).message };
    }
    if (outcome.ok) {
      this.boot.bootTrial({ version: this.fwVersion, md5: this.fwMd5 }, offer.id);
      this.fwVersion = offer.version;
      this.fwMd5 = offer.md5.toLowerCase();
      this.emit('firmware', outcome);
      this.reboot(`firmware ${offer.version}`, true);
      if (this.options.faults?.bootFailure) this.fallBack('exception', 'exception at boot');
    } else {
      // the old image keeps running; the outcome is reported on the next check-in
      this.failedFirmware.add(offer.id);
      this.otaReport = { id: offer.id, ok: false, message: outcome.message ?? 'failed' };
      this.log(`firmware ${offer.version} rejected: ${outcome.message}`);
      this.emit('firmware', outcome);
    }
  }

  /** The trial image is abandoned: the old slot boots again and the next check-in reports it. */
  private fallBack(reason: 'exception' | 'soft_restart', why: string): void {
    const back = this.boot.fallBack(reason, why);
    if (!back) return;
    this.fwVersion = back.image.version;
    this.fwMd5 = back.image.md5;
    this.reboot(`rolled back: ${why}`, true);
    this.failedFirmware.add(back.ota.id);
    this.otaReport = back.ota;
    this.emit('firmware', { id: back.ota.id, version: this.fwVersion, ok: false, message: back.ota.message });
  }

  // ---------- the free-running loop ----------

  private async runLoop(spreadSeconds: number): Promise<void> {
    let failures = 0;
    // never emit from inside start(): callers attach their listeners right after it returns
    await new Promise((resolve) => setImmediate(resolve));
    if (spreadSeconds > 0) await this.sleep(this.random() * spreadSeconds * 1000);
    while (this.running) {
      const flaky = this.options.flaky ?? 0;
      if (flaky > 0 && this.random() < flaky) await this.dropOff();
      if (!this.running) break;
      const wait = this.legacy ? 0 : Math.min(this.options.wait ?? 0, this.interval, 60);
      const started = this.clock.now();
      let delayMs: number;
      try {
        const cfgsnBefore = this.cfgsn;
        const onTrial = this.boot.trial;
        const reply = await this.checkin({ wait: this.state === 'active' ? wait : 0 });
        failures = 0;
        delayMs = nextCheckinDelayMs({
          // a trial just confirmed is reported at once, as the firmware does
          somethingToReport: this.commands.pendingAcks.length > 0 || this.otaReport !== null || this.needsRegistration || this.cfgsn !== cfgsnBefore
            || (onTrial && !this.boot.trial),
          wait,
          held: wait > 0 && this.clock.now() - started >= 1000,
          news: Boolean(reply.config || reply.commands?.length || reply.firmware),
          intervalSeconds: this.interval,
          random: this.random,
        });
      } catch (error) {
        if (!this.running) break;
        failures += 1;
        delayMs = backoffMs(error, failures, { intervalSeconds: this.interval, needsRegistration: this.needsRegistration, random: this.random });
      }
      await this.sleep(delayMs);
    }
  }

  /** Wi-Fi loss or power cut: silent for one to three intervals; a power cut reboots. */
  private async dropOff(): Promise<void> {
    this.setStatus('dropped');
    await this.sleep(this.interval * 1000 * (1 + this.random() * 2));
    if (this.random() < 0.5) this.reboot('power cut');
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }

  // ---------- helpers ----------

  private url(action: 'register' | 'checkin'): string {
    return `${this.server}/api/v1/devices/${encodeURIComponent(this.mac)}/${action}`;
  }

  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  private legacyContext() {
    return {
      server: this.server, id: this.mac, ip: this.ip, ssid: this.ssid, key: this.options.key, agent: this.options.agent, localAddress: this.options.localAddress,
      onRegistered: (row: Record<string, unknown>) => {
        this.state = 'active';
        this.setStatus('online');
        this.emit('registered', { httpStatus: 200, state: 'active', newToken: false });
        this.log(`registered (legacy) ${JSON.stringify(row).slice(0, 80)}`);
      },
      interval: this.interval,
    };
  }

  private setStatus(status: DeviceRunStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.emit('status', status);
  }

  private recordFault(during: 'register' | 'checkin' | 'firmware', error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err.name === 'AbortError' && !this.running) return; // stop() cut a long-poll short: not a fault
    this.errors += 1;
    this.lastError = err;
    this.emit('fault', { during, error: err });
    this.log(`${during} failed: ${err.message}`);
  }

  private log(line: string): void {
    this.options.log?.(`${this.mac} ${line}`);
  }
}
