/**
 * The alert engine, run on the status tick: it drains the check-ins the check-in path noted
 * (recoveries, signal, heap, firmware drift, reboot loops) and scans the fleet for what silence
 * and time reveal (missed check-ins, config not applied in time). A scan is a few comparisons per
 * device and time rule; transitions of one tick are written in one transaction.
 *
 * Debounce: a rule fires after its condition held for N check-ins (or N missed), and recovers after
 * M good check-ins in a row. A device muted or inside a maintenance window still gets its alert
 * state tracked, but the alert is raised silently: nobody is told, and when the quiet ends an
 * alert that is already open does not fire again. A loud alert's recovery is always told.
 */
import type { Alert, AlertRule, AlertWindow } from '../../../../shared/api/alerts';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import type { AlertsRepo } from './alerts-repo';
import type { AlertPayload } from './channels/channel-kind';
import type { AlertCheckinTap } from './checkin-tap';
import { type ScopeMatch, checkinCondition, describeAlert, missedCheckins, scopeMatcher } from './conditions';

interface CompiledRule { rule: AlertRule; matches: ScopeMatch }
interface Debounce { bad: number; good: number }
type Transition = { kind: 'fire'; alert: Alert; rule: AlertRule; device: DeviceRuntime } | { kind: 'resolve'; alert: Alert; rule: AlertRule | null; device: DeviceRuntime | null; at: number };

/** Status ticks between sweeps of deleted devices' memory (a minute at the default tick). */
const SWEEP_EVERY = 60;
const TIME_RULES = new Set<AlertRule['kind']>(['offline', 'config_pending']);

export interface EngineDeps {
  ctx: ServiceContext;
  repo: AlertsRepo;
  tap: AlertCheckinTap;
  /** a loud transition: notification centre, event, channels */
  announce(payload: AlertPayload, rule: AlertRule): void;
  link(deviceId: string): string | null;
}

export class AlertEngine {
  private rules: CompiledRule[] = [];
  private windows: { window: AlertWindow; matches: ScopeMatch }[] = [];
  readonly muted = new Set<string>();
  /** open alerts by rule and device */
  private readonly open = new Map<string, Alert>();
  private readonly debounce = new Map<string, Debounce>();
  /** when each device was first seen with config it had not applied */
  private readonly pendingSince = new Map<string, number>();
  private evaluations = 0;

  constructor(private readonly deps: EngineDeps) {
    this.reload();
  }

  /** Everything from the database: at start and after a restore. */
  reload(): void {
    const { repo } = this.deps;
    this.setRules(repo.rules());
    this.setWindows(repo.windows());
    this.muted.clear();
    for (const id of repo.mutes()) this.muted.add(id);
    this.open.clear();
    for (const alert of repo.openAlerts()) this.open.set(key(alert.ruleId, alert.deviceId), alert);
    this.debounce.clear();
  }

  setRules(rules: AlertRule[]): void {
    this.rules = rules.filter((r) => r.enabled).map((rule) => ({ rule, matches: scopeMatcher(rule.scope) }));
  }

  setWindows(windows: AlertWindow[]): void {
    this.windows = windows.map((window) => ({ window, matches: scopeMatcher(window.scope) }));
  }

  openAlerts(): Alert[] {
    return [...this.open.values()];
  }

  /** Muted, or inside a maintenance window that covers it. */
  quiet(device: DeviceRuntime, now: number): boolean {
    if (this.muted.has(device.id)) return true;
    return this.windows.some(({ window, matches }) => window.startsAt <= now && now < window.endsAt && matches(device));
  }

  /** Forgets what it remembers of deleted devices (a removed and re-registered MAC starts afresh). */
  sweep(): void {
    const { devices } = this.deps.ctx.state;
    this.deps.tap.sweep(devices);
    for (const id of this.pendingSince.keys()) if (!devices.has(id)) this.pendingSince.delete(id);
  }

  evaluate(): void {
    const { ctx, tap } = this.deps;
    const now = ctx.clock.now();
    const state = ctx.state;
    const transitions: Transition[] = [];
    for (const [id, checkins] of tap.take()) {
      const device = state.devices.get(id);
      if (!device || device.state !== 'active') continue;
      for (const compiled of this.rules) if (compiled.matches(device)) this.onCheckins(compiled.rule, device, checkins, now, transitions);
    }
    const timeRules = this.rules.filter((c) => TIME_RULES.has(c.rule.kind));
    if (timeRules.length > 0) {
      for (const device of state.devices.values()) {
        if (device.state !== 'active') continue;
        for (const compiled of timeRules) if (compiled.matches(device)) this.scan(compiled.rule, device, now, transitions);
      }
    }
    this.closeOrphans(now, transitions);
    if (++this.evaluations % SWEEP_EVERY === 0) this.sweep();
    if (transitions.length > 0) this.apply(transitions);
  }

  private onCheckins(rule: AlertRule, device: DeviceRuntime, checkins: number, now: number, out: Transition[]): void {
    const k = key(rule.id, device.id);
    const open = this.open.get(k);
    if (rule.kind === 'offline' || rule.kind === 'config_pending') {
      if (rule.kind === 'offline' && open) this.countGood(k, rule.recoverAfter, checkins, open, rule, device, now, out);
      return;
    }
    if (rule.kind === 'reboot_loop') {
      const reboots = this.deps.tap.rebootsSince(device.id, now - rule.windowMinutes * 60_000);
      if (!open && reboots >= rule.reboots) this.fire(rule, device, reboots, now, out);
      else if (open && reboots === 0) this.resolve(open, rule, device, now, out);
      return;
    }
    const condition = checkinCondition(rule, device, this.deps.ctx.state);
    if (!condition) return;
    if (!condition.bad) {
      if (open) this.countGood(k, rule.recoverAfter, checkins, open, rule, device, now, out);
      else this.debounce.delete(k);
      return;
    }
    const d = this.debounce.get(k) ?? { bad: 0, good: 0 };
    d.good = 0;
    if (open) return void this.debounce.set(k, d);
    d.bad += checkins;
    this.debounce.set(k, d);
    if (d.bad >= rule.forCheckins) this.fire(rule, device, condition.value, now, out);
  }

  private countGood(k: string, needed: number, checkins: number, open: Alert, rule: AlertRule, device: DeviceRuntime, now: number, out: Transition[]): void {
    const d = this.debounce.get(k) ?? { bad: 0, good: 0 };
    d.good += checkins;
    this.debounce.set(k, d);
    if (d.good >= needed) this.resolve(open, rule, device, now, out);
  }

  private scan(rule: AlertRule, device: DeviceRuntime, now: number, out: Transition[]): void {
    const k = key(rule.id, device.id);
    const open = this.open.get(k);
    if (rule.kind === 'offline') {
      const missed = missedCheckins(device, this.deps.ctx.state, now);
      if (open) {
        // silent again before recovering: the good check-ins so far do not count
        if (missed > 0) this.debounce.delete(k);
      } else if (missed >= rule.missedCheckins) {
        this.fire(rule, device, missed, now, out);
      }
      return;
    }
    if (rule.kind !== 'config_pending') return;
    if (device.cfgsnReported === device.cfgsn) {
      this.pendingSince.delete(device.id);
      if (open) this.resolve(open, rule, device, now, out);
      return;
    }
    let since = this.pendingSince.get(device.id);
    if (since === undefined) this.pendingSince.set(device.id, (since = now));
    if (!open && now - since >= rule.withinSeconds * 1000) this.fire(rule, device, Math.round((now - since) / 1000), now, out);
  }

  /** Open alerts whose rule, device or scope went away are closed without telling anyone. */
  private closeOrphans(now: number, out: Transition[]): void {
    const reboots = new Map(this.rules.filter((c) => c.rule.kind === 'reboot_loop').map((c) => [c.rule.id, c]));
    for (const alert of this.open.values()) {
      const compiled = this.rules.find((c) => c.rule.id === alert.ruleId);
      const device = this.deps.ctx.state.devices.get(alert.deviceId);
      if (!compiled || !device || device.state !== 'active' || !compiled.matches(device)) {
        out.push({ kind: 'resolve', alert, rule: null, device: null, at: now });
        this.open.delete(key(alert.ruleId, alert.deviceId));
        continue;
      }
      const reboot = reboots.get(alert.ruleId);
      if (reboot && reboot.rule.kind === 'reboot_loop' && this.deps.tap.rebootsSince(device.id, now - reboot.rule.windowMinutes * 60_000) < reboot.rule.reboots) {
        this.resolve(alert, reboot.rule, device, now, out);
      }
    }
  }

  private fire(rule: AlertRule, device: DeviceRuntime, value: number | string, now: number, out: Transition[]): void {
    const alert: Alert = {
      id: 0, ruleId: rule.id, ruleName: rule.name, ruleKind: rule.kind, deviceId: device.id, deviceName: device.name,
      state: 'firing', value, firedAt: now, resolvedAt: null, silent: this.quiet(device, now),
    };
    this.open.set(key(rule.id, device.id), alert);
    this.debounce.delete(key(rule.id, device.id));
    out.push({ kind: 'fire', alert, rule, device });
  }

  private resolve(alert: Alert, rule: AlertRule, device: DeviceRuntime, now: number, out: Transition[]): void {
    this.open.delete(key(alert.ruleId, alert.deviceId));
    this.debounce.delete(key(alert.ruleId, alert.deviceId));
    out.push({ kind: 'resolve', alert, rule, device, at: now });
  }

  private apply(transitions: Transition[]): void {
    const { ctx, repo } = this.deps;
    const loud: { payload: AlertPayload; rule: AlertRule }[] = [];
    ctx.db.transaction(() => {
      for (const t of transitions) {
        if (t.kind === 'fire') {
          t.alert.id = repo.insertAlert(t.alert);
          if (!t.alert.silent) loud.push({ payload: this.payload(t.alert, t.rule, t.device, 'firing', t.alert.firedAt), rule: t.rule });
        } else {
          t.alert.resolvedAt = t.at;
          t.alert.state = 'resolved';
          if (t.alert.id > 0) repo.resolveAlert(t.alert.id, t.at);
          if (!t.alert.silent && t.rule && t.device) loud.push({ payload: this.payload(t.alert, t.rule, t.device, 'resolved', t.at), rule: t.rule });
        }
      }
      repo.pruneAlerts();
    })();
    for (const { payload, rule } of loud) this.deps.announce(payload, rule);
  }

  payload(alert: Alert, rule: AlertRule, device: DeviceRuntime, state: 'firing' | 'resolved', at: number): AlertPayload {
    const name = device.name || device.id;
    const profile = device.profileId === null ? null : (this.deps.ctx.state.profiles.get(device.profileId)?.name ?? null);
    return {
      alertId: alert.id, state, at,
      device: { mac: device.id, name: device.name, location: device.location, profile },
      rule: { id: rule.id, name: rule.name, kind: rule.kind },
      value: alert.value, message: describeAlert(rule, name, state, alert.value), link: this.deps.link(device.id), test: false,
    };
  }
}

function key(ruleId: number, deviceId: string): string {
  return `${ruleId}\n${deviceId}`;
}
