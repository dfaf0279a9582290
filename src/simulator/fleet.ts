/**
 * Many SimulatedDevices sharing one keep-alive agent and one state file: what `npm run simulate`
 * runs, and what the e2e tests and the benchmark can start with one call.
 */
import http from 'node:http';
import type { ConfigObject } from '../shared/config';
import { hasFault } from './boot';
import { SimulatedDevice, type SimulatedDeviceOptions } from './device';
import { isLoopbackUrl, loopbackSourceAddress, simulatedMac } from './identity';
import { saveState, type SimulatorState } from './state-file';

export interface FleetSummary {
  devices: number;
  registered: number;
  awaitingApproval: number;
  online: number;
  pendingConfig: number;
  errors: number;
  checkins: number;
}

export interface SimulatedFleetOptions
  extends Pick<SimulatedDeviceOptions, 'interval' | 'wait' | 'legacy' | 'key' | 'flaky' | 'fwName' | 'fwVersion' | 'log' | 'random'> {
  server: string;
  count: number;
  state: SimulatorState;
  /** where to persist `state`; omitted = in memory only */
  statePath?: string;
  /** extra fields for every register body (unknown fields are ignored by the server) */
  hint?: ConfigObject;
  /** shares of devices (0..1, chosen deterministically) whose new images crash at boot / whose downloads break off */
  bootFailureRate?: number;
  downloadFailureRate?: number;
  /** firmware downloads read at this many bytes a second */
  downloadBytesPerSecond?: number;
}

export class SimulatedFleet {
  readonly devices: SimulatedDevice[];
  readonly agent: http.Agent;
  private saveTimer: NodeJS.Timeout | null = null;
  /** something on a device's "flash" changed since the last save (token, config, firmware) */
  private unsaved = true;

  constructor(private readonly options: SimulatedFleetOptions) {
    // Free sockets close client-side after 4 s, before Node servers' default 5 s keep-alive
    // timeout can close them under a request in flight (a spurious ECONNRESET).
    this.agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4_000 });
    const { state } = options;
    const spreadSources = isLoopbackUrl(options.server);
    this.devices = [];
    for (let i = 0; i < options.count; i++) {
      const saved = state.devices[i] ?? {
        mac: simulatedMac(i, state.macPrefix), token: null, cfgsn: 0, config: {},
        fwName: options.fwName ?? 'fleetdesk-sim', fwVersion: options.fwVersion ?? '1.0.0',
      };
      state.devices[i] = saved;
      this.devices.push(new SimulatedDevice({
        server: options.server,
        interval: options.interval,
        wait: options.wait,
        legacy: options.legacy,
        key: options.key,
        flaky: options.flaky,
        log: options.log,
        random: options.random,
        registerHint: options.hint,
        mac: saved.mac,
        token: saved.token ?? undefined,
        cfgsn: saved.cfgsn,
        config: saved.config,
        fwName: saved.fwName,
        fwVersion: saved.fwVersion,
        fwMd5: saved.fwMd5,
        agent: this.agent,
        localAddress: spreadSources ? loopbackSourceAddress(i) : undefined,
        faults: {
          bootFailure: hasFault(i, options.bootFailureRate ?? 0),
          downloadFailure: hasFault(i, options.downloadFailureRate ?? 0),
          downloadBytesPerSecond: options.downloadBytesPerSecond,
        },
      }));
    }
    const markUnsaved = () => { this.unsaved = true; };
    for (const device of this.devices) {
      device.on('registered', markUnsaved);
      device.on('config', markUnsaved);
      device.on('firmware', markUnsaved);
    }
  }

  /** Starts every device; first check-ins are spread over `spreadSeconds` like a building powering up. */
  start(spreadSeconds: number): void {
    for (const device of this.devices) device.start({ spreadSeconds });
    // a 10 000-device state file is megabytes: rewrite it only when something in it changed
    if (this.options.statePath) this.saveTimer = setInterval(() => { if (this.unsaved) this.save(); }, 2_000);
  }

  async stop(): Promise<void> {
    if (this.saveTimer) clearInterval(this.saveTimer);
    await Promise.all(this.devices.map((d) => d.stop()));
    this.save();
    this.agent.destroy();
  }

  /** Copies every device's "flash" into the state, and writes the state file when there is one. */
  save(): void {
    this.unsaved = false;
    this.devices.forEach((device, i) => { this.options.state.devices[i] = device.snapshot(); });
    if (this.options.statePath) saveState(this.options.statePath, this.options.state);
  }

  summary(): FleetSummary {
    const summary: FleetSummary = { devices: this.devices.length, registered: 0, awaitingApproval: 0, online: 0, pendingConfig: 0, errors: 0, checkins: 0 };
    for (const d of this.devices) {
      if (d.state !== 'unregistered') summary.registered += 1;
      if (d.state === 'pending') summary.awaitingApproval += 1;
      if (d.status === 'online') summary.online += 1;
      if (d.configPending) summary.pendingConfig += 1;
      summary.errors += d.errors;
      summary.checkins += d.checkins;
    }
    return summary;
  }
}

export function formatSummary(s: FleetSummary): string {
  const approval = s.awaitingApproval ? ` (${s.awaitingApproval} awaiting approval)` : '';
  return `registered ${s.registered}/${s.devices}${approval} · online ${s.online} · pending config ${s.pendingConfig} · errors ${s.errors} · check-ins ${s.checkins}`;
}
