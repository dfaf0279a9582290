/** Webhook channel: one HTTP request per alert transition, bounded in time and in what it reads back. */
import type { AlertChannel } from '../../../../../shared/api/alerts';
import type { AlertPayload, ChannelKindImpl, SendResult } from './channel-kind';
import { renderBody } from './template';

/** A receiver that takes longer is counted as failed (and retried). */
export const WEBHOOK_TIMEOUT_MS = 5000;

export const webhookKind: ChannelKindImpl = {
  retries: (channel) => (channel.kind === 'webhook' ? channel.retries : 0),
  async send(channel: AlertChannel, payload: AlertPayload, signal: AbortSignal): Promise<SendResult> {
    if (channel.kind !== 'webhook') return { ok: false, status: null, error: 'not a webhook channel' };
    try {
      const res = await fetch(channel.url, {
        method: channel.method,
        headers: { 'content-type': 'application/json', 'user-agent': 'FleetDesk-alerts', ...channel.headers },
        body: renderBody(channel.bodyTemplate, payload),
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
      });
      // the reply's body is of no use to us: never read an unbounded stream from a receiver
      await res.body?.cancel().catch(() => undefined);
      const ok = res.status >= 200 && res.status < 300;
      return { ok, status: res.status, error: ok ? null : `the receiver answered ${res.status}` };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const reason = e.name === 'TimeoutError' ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`
        : e.cause?.code ?? e.cause?.message ?? e.message;
      return { ok: false, status: null, error: reason };
    }
  },
};
