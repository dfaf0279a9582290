/**
 * Alerts behind the admin API: rules, channels, maintenance windows and mutes (committed before
 * the reply), the overview, the notification centre, test sends; and the engine and delivery
 * queue the status tick and the scheduler drive.
 */
import {
  type AlertChannel, type AlertDelivery, type AlertRule, type AlertRuleInput, type AlertRulePatch, type AlertWindow,
  type AlertWindowInput, type AlertsOverview, type ChannelInput, type ChannelKind, type ChannelPatch,
  type DeviceAlertState, type NotificationList, AlertRuleInputSchema, ChannelInputSchema,
} from '../../../../shared/api/alerts';
import { FleetError } from '../../errors';
import { type ServiceContext, deviceOrThrow } from '../context';
import { AlertEngine } from './alert-engine';
import { createAlertsRepo } from './alerts-repo';
import type { AlertPayload, ChannelKindImpl } from './channels/channel-kind';
import { type DesktopListener, desktopKind } from './channels/desktop';
import { templateProblem } from './channels/template';
import { webhookKind } from './channels/webhook';
import type { AlertCheckinTap } from './checkin-tap';
import { defaultRuleName } from './conditions';
import { DeliveryQueue } from './delivery-queue';

/** Rules, channels and windows an operator may keep: far more than a fleet needs, never unbounded. */
export const MAX_RULES = 200;
export const MAX_CHANNELS = 50;
export const MAX_WINDOWS = 200;

/** For the metrics endpoint: read-only counts. */
export interface AlertCounts {
  firing: number;
  firingSilent: number;
  /** delivery attempts since start by channel kind */
  deliveries: Record<string, { ok: number; failed: number }>;
  queued: number;
}

export function createAlertService(ctx: ServiceContext, tap: AlertCheckinTap) {
  const repo = createAlertsRepo(ctx.db);
  const desktopListeners = new Set<DesktopListener>();
  const kinds: Record<ChannelKind, ChannelKindImpl> = { webhook: webhookKind, desktop: desktopKind(desktopListeners, () => ctx.clock.now()) };
  let channels = new Map(repo.channels().map((c) => [c.id, c]));
  let linkBase: string | null = null;
  const link = (deviceId: string): string | null => (linkBase ? `${linkBase}/#/devices/${encodeURIComponent(deviceId)}` : null);

  const queue = new DeliveryQueue({ clock: ctx.clock, channel: (id) => channels.get(id), kinds, log: (d) => repo.insertDelivery(d) });

  const announce = (payload: AlertPayload, rule: AlertRule): void => {
    repo.insertNotification({ alertId: payload.alertId, at: payload.at, state: payload.state, deviceId: payload.device.mac, message: payload.message });
    repo.pruneNotifications();
    ctx.events.record(payload.state === 'firing' ? 'alert_firing' : 'alert_resolved', payload.device.mac, payload.message, {
      alertId: payload.alertId, ruleId: rule.id, ruleKind: rule.kind, value: payload.value,
    });
    for (const id of rule.channels) if (channels.get(id)?.enabled) queue.enqueue(id, payload);
  };
  const engine = new AlertEngine({ ctx, repo, tap, announce, link });

  const ruleOrThrow = (id: number): AlertRule => {
    const rule = repo.rules().find((r) => r.id === id);
    if (!rule) throw new FleetError('not_found', `no alert rule ${id}`);
    return rule;
  };
  const channelOrThrow = (id: number): AlertChannel => {
    const channel = channels.get(id);
    if (!channel) throw new FleetError('not_found', `no alert channel ${id}`);
    return channel;
  };
  const checkChannels = (ids: number[]): void => {
    const missing = ids.filter((id) => !channels.has(id));
    if (missing.length > 0) throw new FleetError('bad_request', `no alert channel ${missing.join(', ')}: create it first or leave it out`);
  };
  const checkTemplate = (channel: ChannelInput | AlertChannel): void => {
    if (channel.kind !== 'webhook' || channel.bodyTemplate === null) return;
    const problem = templateProblem(channel.bodyTemplate);
    if (problem) throw new FleetError('bad_request', problem);
  };
  const reloadChannels = (): void => {
    channels = new Map(repo.channels().map((c) => [c.id, c]));
  };

  return {
    engine,
    /** status tick */
    evaluate: () => engine.evaluate(),
    /** sends due deliveries; resolves when those in flight are done */
    pump: () => queue.pump(),
    stop: () => queue.stop(),
    reload(): void {
      reloadChannels();
      engine.reload();
    },
    setLinkBase(url: string): void {
      linkBase = url;
    },
    /** the desktop shell shows desktop-channel notifications; returns the unsubscribe function */
    onDesktop(listener: DesktopListener): () => void {
      desktopListeners.add(listener);
      return () => desktopListeners.delete(listener);
    },
    counts(): AlertCounts {
      const open = engine.openAlerts();
      const silent = open.filter((a) => a.silent).length;
      return { firing: open.length - silent, firingSilent: silent, deliveries: structuredClone(queue.sent), queued: queue.size };
    },

    overview(): AlertsOverview {
      return { firing: engine.openAlerts().sort((a, b) => b.firedAt - a.firedAt), recent: repo.recentAlerts(50) };
    },

    rules: (): AlertRule[] => repo.rules(),
    createRule(input: AlertRuleInput): AlertRule {
      checkChannels(input.channels);
      if (repo.rules().length >= MAX_RULES) throw new FleetError('conflict', `at most ${MAX_RULES} alert rules; delete one first`);
      const now = ctx.clock.now();
      const body = { ...input, name: input.name || defaultRuleName(input) };
      const id = ctx.atomically(() => repo.insertRule({ ...body, createdAt: now, updatedAt: now }));
      engine.setRules(repo.rules());
      return ruleOrThrow(id);
    },
    updateRule(id: number, patch: AlertRulePatch): AlertRule {
      const current = ruleOrThrow(id);
      if (patch.channels) checkChannels(patch.channels);
      const { id: _id, createdAt, updatedAt: _u, ...body } = current;
      // the patch must fit the rule's kind: a field of another kind is refused, not ignored
      const merged = AlertRuleInputSchema.safeParse({ ...body, ...patch });
      if (!merged.success) throw new FleetError('bad_request', `these fields do not fit a ${current.kind} rule: ${merged.error.issues.map((i) => i.message).join('; ')}`);
      const rule: AlertRule = { ...merged.data, name: merged.data.name || defaultRuleName(merged.data), id, createdAt, updatedAt: ctx.clock.now() };
      ctx.atomically(() => repo.updateRule(rule));
      engine.setRules(repo.rules());
      return rule;
    },
    deleteRule(id: number): void {
      if (!ctx.atomically(() => repo.deleteRule(id))) throw new FleetError('not_found', `no alert rule ${id}`);
      engine.setRules(repo.rules()); // its open alerts close silently on the next tick
    },

    channels: (): AlertChannel[] => [...channels.values()],
    createChannel(input: ChannelInput): AlertChannel {
      checkTemplate(input);
      if (channels.size >= MAX_CHANNELS) throw new FleetError('conflict', `at most ${MAX_CHANNELS} channels; delete one first`);
      const id = ctx.atomically(() => repo.insertChannel({ ...input, createdAt: ctx.clock.now() }));
      reloadChannels();
      return channelOrThrow(id);
    },
    updateChannel(id: number, patch: ChannelPatch): AlertChannel {
      const current = channelOrThrow(id);
      if (current.kind !== 'webhook' && Object.keys(patch).some((k) => k !== 'name' && k !== 'enabled')) {
        throw new FleetError('bad_request', `a ${current.kind} channel has only a name and enabled`);
      }
      const { id: _id, createdAt, ...body } = current;
      const merged = ChannelInputSchema.safeParse({ ...body, ...patch });
      if (!merged.success) throw new FleetError('bad_request', merged.error.issues.map((i) => i.message).join('; '));
      const channel: AlertChannel = { ...merged.data, id, createdAt };
      checkTemplate(channel);
      ctx.atomically(() => repo.updateChannel(channel));
      reloadChannels();
      return channel;
    },
    deleteChannel(id: number): void {
      channelOrThrow(id);
      ctx.atomically(() => {
        repo.deleteChannel(id);
        // rules that named it stop naming it
        for (const rule of repo.rules()) if (rule.channels.includes(id)) repo.updateRule({ ...rule, channels: rule.channels.filter((c) => c !== id) });
      });
      reloadChannels();
      engine.setRules(repo.rules());
    },
    deliveries: (channelId: number, limit = 50): AlertDelivery[] => {
      channelOrThrow(channelId);
      return repo.deliveries(channelId, Math.max(1, Math.min(limit, 200)));
    },
    /** One attempt now with a sample transition; the outcome is in the delivery log too. */
    testChannel(channelId: number): Promise<AlertDelivery> {
      const channel = channelOrThrow(channelId);
      const now = ctx.clock.now();
      const payload: AlertPayload = {
        alertId: 0, state: 'firing', at: now,
        device: { mac: '00:00:00:00:00:00', name: 'Test device', location: '', profile: null },
        rule: { id: 0, name: 'Test', kind: 'offline' }, value: 3,
        message: 'Test device missed 3 check-ins (a test sent from FleetDesk)', link: link('00:00:00:00:00:00'), test: true,
      };
      return queue.sendNow(channel, payload);
    },

    windows: (): AlertWindow[] => repo.windows(),
    createWindow(input: AlertWindowInput): AlertWindow {
      if (repo.windows().length >= MAX_WINDOWS) throw new FleetError('conflict', `at most ${MAX_WINDOWS} maintenance windows; delete an old one first`);
      const id = ctx.atomically(() => repo.insertWindow({ ...input, createdAt: ctx.clock.now() }));
      const windows = repo.windows();
      engine.setWindows(windows);
      return windows.find((w) => w.id === id)!;
    },
    deleteWindow(id: number): void {
      if (!ctx.atomically(() => repo.deleteWindow(id))) throw new FleetError('not_found', `no maintenance window ${id}`);
      engine.setWindows(repo.windows());
    },

    notifications(limit = 50): NotificationList {
      return { items: repo.notifications(Math.max(1, Math.min(limit, 200))), unread: repo.unread() };
    },
    /** Marks notifications read up to an id (default: all); returns the unread count left. */
    markRead(upTo?: number): number {
      ctx.atomically(() => repo.markRead(upTo ?? Number.MAX_SAFE_INTEGER));
      ctx.bus.emit({ type: 'alerts' });
      return repo.unread();
    },

    device(rawId: string): DeviceAlertState {
      const device = deviceOrThrow(ctx, rawId);
      return { muted: engine.muted.has(device.id), firing: engine.openAlerts().filter((a) => a.deviceId === device.id) };
    },
    setMuted(rawId: string, muted: boolean, author: string): DeviceAlertState {
      const device = deviceOrThrow(ctx, rawId);
      if (engine.muted.has(device.id) !== muted) {
        ctx.atomically(() => {
          repo.setMuted(device.id, muted, ctx.clock.now());
          ctx.events.record('device_muted', device.id, `${device.name || device.id} ${muted ? 'muted' : 'unmuted'} for alerts by ${author}`, { muted });
        });
        if (muted) engine.muted.add(device.id);
        else engine.muted.delete(device.id);
      }
      return { muted, firing: engine.openAlerts().filter((a) => a.deviceId === device.id) };
    },
  };
}
export type AlertService = ReturnType<typeof createAlertService>;
