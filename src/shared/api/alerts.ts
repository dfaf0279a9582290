/**
 * Admin contract: alert rules, notification channels, alert maintenance windows (quiet periods for
 * alerts — unrelated to the database maintenance of ./maintenance.ts), per-device mute, the alerts
 * raised and the in-app notification centre. Times are epoch milliseconds.
 */
import { z } from 'zod';
import { TagSchema } from './devices';

/** Which devices a rule or a maintenance window covers. */
export const AlertScopeSchema = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ profileId: z.number().int().positive() }).strict(),
  z.object({ tag: TagSchema }).strict(),
  z.object({ devices: z.array(z.string().min(1).max(64)).min(1).max(1000) }).strict(),
]);
export type AlertScope = z.infer<typeof AlertScopeSchema>;

export const ALERT_RULE_KINDS = ['offline', 'signal', 'heap', 'reboot_loop', 'version_drift', 'config_pending'] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** Check-ins in a row the condition must hold before firing, and in a row it must not before recovering. */
const debounce = {
  forCheckins: z.number().int().min(1).max(100).default(1),
  recoverAfter: z.number().int().min(1).max(100).default(1),
};
const common = {
  name: z.string().trim().max(128).default(''),
  enabled: z.boolean().default(true),
  scope: AlertScopeSchema,
  channels: z.array(z.number().int().positive()).max(20).default([]),
};

export const AlertRuleInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offline'), ...common, missedCheckins: z.number().int().min(1).max(100), recoverAfter: debounce.recoverAfter }).strict(),
  z.object({ kind: z.literal('signal'), ...common, ...debounce, belowDbm: z.number().int().min(-120).max(0) }).strict(),
  z.object({ kind: z.literal('heap'), ...common, ...debounce, belowBytes: z.number().int().min(1).max(100_000_000) }).strict(),
  z.object({ kind: z.literal('reboot_loop'), ...common, reboots: z.number().int().min(2).max(100), windowMinutes: z.number().int().min(1).max(10_080) }).strict(),
  z.object({ kind: z.literal('version_drift'), ...common, ...debounce }).strict(),
  z.object({ kind: z.literal('config_pending'), ...common, withinSeconds: z.number().int().min(10).max(2_592_000) }).strict(),
]);
export type AlertRuleInput = z.infer<typeof AlertRuleInputSchema>;
export type AlertRule = AlertRuleInput & { id: number; createdAt: number; updatedAt: number };

/** PATCH replaces the fields given; the kind of a rule never changes (create another rule). */
export const AlertRulePatchSchema = z.object({
  name: z.string().trim().max(128),
  enabled: z.boolean(),
  scope: AlertScopeSchema,
  channels: z.array(z.number().int().positive()).max(20),
  missedCheckins: z.number().int().min(1).max(100),
  recoverAfter: z.number().int().min(1).max(100),
  forCheckins: z.number().int().min(1).max(100),
  belowDbm: z.number().int().min(-120).max(0),
  belowBytes: z.number().int().min(1).max(100_000_000),
  reboots: z.number().int().min(2).max(100),
  windowMinutes: z.number().int().min(1).max(10_080),
  withinSeconds: z.number().int().min(10).max(2_592_000),
}).partial().strict();
export type AlertRulePatch = z.infer<typeof AlertRulePatchSchema>;

/** A header name is an HTTP token; a value carries no line breaks (no header injection). */
const HeaderNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/, 'a header name is letters, digits and -');
const HeaderValueSchema = z.string().max(1024).regex(/^[^\r\n\0]*$/, 'a header value cannot contain line breaks');
export const WEBHOOK_TEMPLATE_MAX = 8192;

export const WebhookConfigSchema = z.object({
  url: z.string().max(2048).url().refine((u) => /^https?:\/\//i.test(u), 'the URL must start with http:// or https://'),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  headers: z.record(HeaderNameSchema, HeaderValueSchema).refine((h) => Object.keys(h).length <= 20, 'at most 20 headers').default({}),
  /** JSON with {{field}} placeholders (see WEBHOOK_FIELDS); null = the default body */
  bodyTemplate: z.string().max(WEBHOOK_TEMPLATE_MAX).nullable().default(null),
  /** further attempts after a failed one, with backoff */
  retries: z.number().int().min(0).max(5).default(3),
});
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

const channelCommon = { name: z.string().trim().min(1).max(128), enabled: z.boolean().default(true) };
export const ChannelInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webhook'), ...channelCommon, ...WebhookConfigSchema.shape }).strict(),
  z.object({ kind: z.literal('desktop'), ...channelCommon }).strict(),
]);
export type ChannelInput = z.infer<typeof ChannelInputSchema>;
export type ChannelKind = ChannelInput['kind'];
export type AlertChannel = ChannelInput & { id: number; createdAt: number };

export const ChannelPatchSchema = z.object({
  name: channelCommon.name,
  enabled: z.boolean(),
  url: WebhookConfigSchema.shape.url,
  method: z.enum(['POST', 'PUT', 'PATCH']),
  headers: z.record(HeaderNameSchema, HeaderValueSchema).refine((h) => Object.keys(h).length <= 20, 'at most 20 headers'),
  bodyTemplate: z.string().max(WEBHOOK_TEMPLATE_MAX).nullable(),
  retries: z.number().int().min(0).max(5),
}).partial().strict();
export type ChannelPatch = z.infer<typeof ChannelPatchSchema>;

/** A quiet period for alerts: devices in scope raise nothing while it lasts. */
export const AlertWindowInputSchema = z.object({
  name: z.string().trim().max(128).default(''),
  startsAt: z.number().int().min(0),
  endsAt: z.number().int().min(0),
  scope: AlertScopeSchema,
}).strict().refine((w) => w.endsAt > w.startsAt, { message: 'the window must end after it starts', path: ['endsAt'] });
export type AlertWindowInput = z.infer<typeof AlertWindowInputSchema>;
export type AlertWindow = AlertWindowInput & { id: number; createdAt: number };

export type AlertState = 'firing' | 'resolved';

export interface Alert {
  id: number;
  ruleId: number;
  ruleName: string;
  ruleKind: AlertRuleKind;
  deviceId: string;
  deviceName: string;
  state: AlertState;
  /** what was measured when it fired: missed check-ins, dBm, bytes, reboots, version, seconds pending */
  value: number | string | null;
  firedAt: number;
  resolvedAt: number | null;
  /** raised while the device was muted or in a maintenance window: nobody was told */
  silent: boolean;
}

/** GET /api/alerts */
export interface AlertsOverview { firing: Alert[]; recent: Alert[] }

export interface AlertNotification {
  id: number;
  alertId: number;
  at: number;
  state: AlertState;
  deviceId: string;
  message: string;
  read: boolean;
}
/** GET /api/alerts/notifications */
export interface NotificationList { items: AlertNotification[]; unread: number }
export const NotificationsReadSchema = z.object({ upTo: z.number().int().positive().optional() }).strict();

export interface AlertDelivery {
  id: number;
  channelId: number;
  alertId: number | null;
  at: number;
  attempt: number;
  ok: boolean;
  /** HTTP status of the receiver's reply; null when there was none */
  status: number | null;
  error: string | null;
  durationMs: number;
  test: boolean;
}

/** GET /api/alerts/devices/{mac} */
export interface DeviceAlertState { muted: boolean; firing: Alert[] }
export const MutePatchSchema = z.object({ muted: z.boolean() }).strict();

/** Placeholders a webhook body template may use, as "{{name}}" (whole string → typed JSON value). */
export const WEBHOOK_FIELDS: Record<string, string> = {
  'device.mac': 'normalised MAC of the device',
  'device.name': 'the operator\'s name for it ("" when unnamed)',
  'device.location': 'its location ("" when not set)',
  'device.profile': 'its profile name, or null',
  'rule.id': 'id of the rule',
  'rule.name': 'name of the rule',
  'rule.kind': 'offline | signal | heap | reboot_loop | version_drift | config_pending',
  state: '"firing" or "resolved"',
  value: 'what was measured (missed check-ins, dBm, bytes, reboots, version, seconds pending)',
  message: 'one line a person reads',
  at: 'time of the transition, ISO 8601 UTC',
  atMs: 'the same as epoch milliseconds',
  link: 'URL of the device page in FleetDesk',
  alertId: 'id of the alert (firing and resolved share it)',
  test: 'true only for "send test"',
};
