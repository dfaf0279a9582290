/** The SQL of alerts: rules, channels, windows and mutes (operator data), alerts, notifications, deliveries. */
import type { Database } from 'better-sqlite3';
import {
  type Alert, type AlertChannel, type AlertDelivery, type AlertNotification, type AlertRule, type AlertRuleKind,
  type AlertScope, type AlertWindow, AlertRuleInputSchema, AlertScopeSchema, ChannelInputSchema,
} from '../../../../shared/api/alerts';
import { parseJson } from '../../db/repos/json';

/** Notifications kept: the newest; the centre is a recent list, the events log keeps the history. */
export const NOTIFICATIONS_KEPT = 1000;
/** Delivery log rows kept per channel (the log is for "did my receiver answer", not an archive). */
export const DELIVERIES_KEPT_PER_CHANNEL = 200;
/** Resolved alerts kept. */
export const RESOLVED_ALERTS_KEPT = 2000;

interface BodyRow { id: number; body: string; created_at: number; updated_at?: number }
interface AlertRow {
  id: number; rule_id: number; rule_name: string; rule_kind: string; device_id: string; device_name: string;
  value: string | null; fired_at: number; resolved_at: number | null; silent: number;
}
interface NotificationRow { id: number; alert_id: number; at: number; state: string; device_id: string; message: string; read: number }
interface DeliveryRow {
  id: number; channel_id: number; alert_id: number | null; at: number; attempt: number; ok: number;
  status: number | null; error: string | null; duration_ms: number; test: number;
}

const toAlert = (r: AlertRow): Alert => ({
  id: r.id, ruleId: r.rule_id, ruleName: r.rule_name, ruleKind: r.rule_kind as AlertRuleKind,
  deviceId: r.device_id, deviceName: r.device_name, value: parseJson(r.value) as Alert['value'],
  firedAt: r.fired_at, resolvedAt: r.resolved_at, state: r.resolved_at === null ? 'firing' : 'resolved', silent: r.silent === 1,
});
const toNotification = (r: NotificationRow): AlertNotification => ({
  id: r.id, alertId: r.alert_id, at: r.at, state: r.state === 'resolved' ? 'resolved' : 'firing',
  deviceId: r.device_id, message: r.message, read: r.read === 1,
});
const toDelivery = (r: DeliveryRow): AlertDelivery => ({
  id: r.id, channelId: r.channel_id, alertId: r.alert_id, at: r.at, attempt: r.attempt, ok: r.ok === 1,
  status: r.status, error: r.error, durationMs: r.duration_ms, test: r.test === 1,
});

export function createAlertsRepo(db: Database) {
  const q = {
    rules: db.prepare('SELECT id, body, created_at, updated_at FROM alert_rules ORDER BY id'),
    insertRule: db.prepare('INSERT INTO alert_rules (kind, body, created_at, updated_at) VALUES (?, ?, ?, ?)'),
    updateRule: db.prepare('UPDATE alert_rules SET body = ?, updated_at = ? WHERE id = ?'),
    deleteRule: db.prepare('DELETE FROM alert_rules WHERE id = ?'),
    channels: db.prepare('SELECT id, body, created_at FROM alert_channels ORDER BY id'),
    insertChannel: db.prepare('INSERT INTO alert_channels (kind, body, created_at) VALUES (?, ?, ?)'),
    updateChannel: db.prepare('UPDATE alert_channels SET body = ? WHERE id = ?'),
    deleteChannel: db.prepare('DELETE FROM alert_channels WHERE id = ?'),
    windows: db.prepare('SELECT id, name, starts_at, ends_at, scope, created_at FROM alert_windows ORDER BY starts_at'),
    insertWindow: db.prepare('INSERT INTO alert_windows (name, starts_at, ends_at, scope, created_at) VALUES (?, ?, ?, ?, ?)'),
    deleteWindow: db.prepare('DELETE FROM alert_windows WHERE id = ?'),
    mutes: db.prepare('SELECT device_id FROM alert_mutes').pluck(),
    mute: db.prepare('INSERT OR IGNORE INTO alert_mutes (device_id, at) VALUES (?, ?)'),
    unmute: db.prepare('DELETE FROM alert_mutes WHERE device_id = ?'),
    openAlerts: db.prepare('SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY id'),
    recentAlerts: db.prepare('SELECT * FROM alerts WHERE resolved_at IS NOT NULL ORDER BY resolved_at DESC LIMIT ?'),
    insertAlert: db.prepare(`INSERT INTO alerts (rule_id, rule_name, rule_kind, device_id, device_name, value, fired_at, silent)
      VALUES (@ruleId, @ruleName, @ruleKind, @deviceId, @deviceName, @value, @firedAt, @silent)`),
    resolveAlert: db.prepare('UPDATE alerts SET resolved_at = ? WHERE id = ?'),
    pruneAlerts: db.prepare(`DELETE FROM alerts WHERE resolved_at IS NOT NULL AND id <=
      (SELECT id FROM alerts WHERE resolved_at IS NOT NULL ORDER BY id DESC LIMIT 1 OFFSET ${RESOLVED_ALERTS_KEPT})`),
    insertNotification: db.prepare('INSERT INTO alert_notifications (alert_id, at, state, device_id, message) VALUES (?, ?, ?, ?, ?)'),
    notifications: db.prepare('SELECT * FROM alert_notifications ORDER BY id DESC LIMIT ?'),
    unread: db.prepare('SELECT count(*) FROM alert_notifications WHERE read = 0').pluck(),
    markRead: db.prepare('UPDATE alert_notifications SET read = 1 WHERE read = 0 AND id <= ?'),
    pruneNotifications: db.prepare(`DELETE FROM alert_notifications WHERE id <=
      (SELECT id FROM alert_notifications ORDER BY id DESC LIMIT 1 OFFSET ${NOTIFICATIONS_KEPT})`),
    insertDelivery: db.prepare(`INSERT INTO alert_deliveries (channel_id, alert_id, at, attempt, ok, status, error, duration_ms, test)
      VALUES (@channelId, @alertId, @at, @attempt, @ok, @status, @error, @durationMs, @test)`),
    deliveries: db.prepare('SELECT * FROM alert_deliveries WHERE channel_id = ? ORDER BY id DESC LIMIT ?'),
    pruneDeliveries: db.prepare(`DELETE FROM alert_deliveries WHERE channel_id = ? AND id <=
      (SELECT id FROM alert_deliveries WHERE channel_id = ? ORDER BY id DESC LIMIT 1 OFFSET ${DELIVERIES_KEPT_PER_CHANNEL})`),
    deleteDeliveries: db.prepare('DELETE FROM alert_deliveries WHERE channel_id = ?'),
  };

  return {
    /** Rows the current schema no longer accepts are skipped rather than failing the start. */
    rules(): AlertRule[] {
      return (q.rules.all() as BodyRow[]).flatMap((r) => {
        const parsed = AlertRuleInputSchema.safeParse(parseJson(r.body));
        return parsed.success ? [{ ...parsed.data, id: r.id, createdAt: r.created_at, updatedAt: r.updated_at ?? r.created_at }] : [];
      });
    },
    insertRule(rule: Omit<AlertRule, 'id'>): number {
      const { createdAt, updatedAt, ...body } = rule;
      return Number(q.insertRule.run(rule.kind, JSON.stringify(body), createdAt, updatedAt).lastInsertRowid);
    },
    updateRule(rule: AlertRule): void {
      const { id, createdAt: _c, updatedAt, ...body } = rule;
      q.updateRule.run(JSON.stringify(body), updatedAt, id);
    },
    deleteRule: (id: number): boolean => q.deleteRule.run(id).changes > 0,

    channels(): AlertChannel[] {
      return (q.channels.all() as BodyRow[]).flatMap((r) => {
        const parsed = ChannelInputSchema.safeParse(parseJson(r.body));
        return parsed.success ? [{ ...parsed.data, id: r.id, createdAt: r.created_at }] : [];
      });
    },
    insertChannel(channel: Omit<AlertChannel, 'id'>): number {
      const { createdAt, ...body } = channel;
      return Number(q.insertChannel.run(channel.kind, JSON.stringify(body), createdAt).lastInsertRowid);
    },
    updateChannel(channel: AlertChannel): void {
      const { id, createdAt: _c, ...body } = channel;
      q.updateChannel.run(JSON.stringify(body), id);
    },
    deleteChannel(id: number): boolean {
      q.deleteDeliveries.run(id);
      return q.deleteChannel.run(id).changes > 0;
    },

    windows(): AlertWindow[] {
      type Row = { id: number; name: string; starts_at: number; ends_at: number; scope: string; created_at: number };
      return (q.windows.all() as Row[]).flatMap((r) => {
        const scope = AlertScopeSchema.safeParse(parseJson(r.scope));
        return scope.success ? [{ id: r.id, name: r.name, startsAt: r.starts_at, endsAt: r.ends_at, scope: scope.data, createdAt: r.created_at }] : [];
      });
    },
    insertWindow(w: { name: string; startsAt: number; endsAt: number; scope: AlertScope; createdAt: number }): number {
      return Number(q.insertWindow.run(w.name, w.startsAt, w.endsAt, JSON.stringify(w.scope), w.createdAt).lastInsertRowid);
    },
    deleteWindow: (id: number): boolean => q.deleteWindow.run(id).changes > 0,

    mutes: (): string[] => q.mutes.all() as string[],
    setMuted(deviceId: string, muted: boolean, at: number): void {
      if (muted) q.mute.run(deviceId, at);
      else q.unmute.run(deviceId);
    },

    openAlerts: (): Alert[] => (q.openAlerts.all() as AlertRow[]).map(toAlert),
    recentAlerts: (limit: number): Alert[] => (q.recentAlerts.all(limit) as AlertRow[]).map(toAlert),
    insertAlert(a: Omit<Alert, 'id' | 'state' | 'resolvedAt'>): number {
      return Number(q.insertAlert.run({ ...a, value: JSON.stringify(a.value), silent: a.silent ? 1 : 0 }).lastInsertRowid);
    },
    resolveAlert(id: number, at: number): void {
      q.resolveAlert.run(at, id);
    },
    pruneAlerts: (): void => void q.pruneAlerts.run(),

    insertNotification(n: { alertId: number; at: number; state: string; deviceId: string; message: string }): number {
      return Number(q.insertNotification.run(n.alertId, n.at, n.state, n.deviceId, n.message).lastInsertRowid);
    },
    notifications: (limit: number): AlertNotification[] => (q.notifications.all(limit) as NotificationRow[]).map(toNotification),
    unread: (): number => q.unread.get() as number,
    markRead: (upTo: number): number => q.markRead.run(upTo).changes,
    pruneNotifications: (): void => void q.pruneNotifications.run(),

    insertDelivery(d: Omit<AlertDelivery, 'id'>): AlertDelivery {
      const id = Number(q.insertDelivery.run({ ...d, ok: d.ok ? 1 : 0, test: d.test ? 1 : 0 }).lastInsertRowid);
      q.pruneDeliveries.run(d.channelId, d.channelId);
      return { ...d, id };
    },
    deliveries: (channelId: number, limit: number): AlertDelivery[] =>
      (q.deliveries.all(channelId, limit) as DeliveryRow[]).map(toDelivery),
  };
}
export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
