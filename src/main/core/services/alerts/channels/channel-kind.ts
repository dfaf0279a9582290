/**
 * The seam for notification channels: a kind knows how to send one alert transition and how
 * often to retry. Webhooks and desktop notifications are the kinds today; another (MQTT, Home
 * Assistant) is one more entry in CHANNEL_KINDS plus its schema in shared/api/alerts.ts.
 */
import type { AlertChannel, AlertRuleKind, AlertState } from '../../../../../shared/api/alerts';

/** One alert transition as every channel sees it. */
export interface AlertPayload {
  alertId: number;
  state: AlertState;
  at: number;
  device: { mac: string; name: string; location: string; profile: string | null };
  rule: { id: number; name: string; kind: AlertRuleKind };
  value: number | string | null;
  message: string;
  /** the device page in FleetDesk; null before the admin listener is up */
  link: string | null;
  test: boolean;
}

export interface SendResult { ok: boolean; status: number | null; error: string | null }

export interface ChannelKindImpl {
  send(channel: AlertChannel, payload: AlertPayload, signal: AbortSignal): Promise<SendResult>;
  /** further attempts after a failed one */
  retries(channel: AlertChannel): number;
}
