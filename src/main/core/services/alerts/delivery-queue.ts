/**
 * Sends alert transitions to channels: a bounded queue, a few sends at a time, retries with
 * exponential backoff on the injected clock (the pump runs on the scheduler, so a test moves the
 * clock and pumps instead of sleeping), and every attempt in the delivery log.
 */
import type { AlertChannel, AlertDelivery, ChannelKind } from '../../../../shared/api/alerts';
import type { Clock } from '../contracts';
import type { AlertPayload, ChannelKindImpl, SendResult } from './channels/channel-kind';

/** Transitions waiting to be sent; past it the oldest waiting one is dropped (and logged). */
export const DELIVERY_QUEUE_MAX = 1000;
/** Sends in flight at once. */
export const DELIVERY_CONCURRENCY = 4;

/** Wait before attempt n+1 after attempt n failed: 2 s, 8 s, 32 s, 128 s, then 5 min. */
export function backoffMs(failedAttempt: number): number {
  return Math.min(300_000, 2000 * 4 ** (failedAttempt - 1));
}

interface Job { channelId: number; payload: AlertPayload; attempt: number; dueAt: number }

export interface DeliveryDeps {
  clock: Clock;
  channel(id: number): AlertChannel | undefined;
  kinds: Record<ChannelKind, ChannelKindImpl>;
  log(delivery: Omit<AlertDelivery, 'id'>): AlertDelivery;
}

export class DeliveryQueue {
  private readonly waiting: Job[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  /** attempts per channel kind since start, for metrics */
  readonly sent: Record<string, { ok: number; failed: number }> = {};

  constructor(private readonly deps: DeliveryDeps) {}

  get size(): number {
    return this.waiting.length + this.inFlight.size;
  }

  enqueue(channelId: number, payload: AlertPayload): void {
    if (this.waiting.length >= DELIVERY_QUEUE_MAX) {
      const dropped = this.waiting.shift()!;
      this.deps.log({
        channelId: dropped.channelId, alertId: dropped.payload.alertId, at: this.deps.clock.now(), attempt: dropped.attempt,
        ok: false, status: null, error: `dropped: more than ${DELIVERY_QUEUE_MAX} notifications waiting`, durationMs: 0, test: false,
      });
    }
    this.waiting.push({ channelId, payload, attempt: 1, dueAt: this.deps.clock.now() });
    void this.pump();
  }

  /** Sends what is due (a few at a time) until nothing due is left; resolves when those sends are done. */
  async pump(): Promise<void> {
    for (;;) {
      this.startDue();
      if (this.inFlight.size === 0) return;
      await Promise.all([...this.inFlight]);
    }
  }

  private startDue(): void {
    const now = this.deps.clock.now();
    for (let i = 0; i < this.waiting.length && this.inFlight.size < DELIVERY_CONCURRENCY;) {
      const job = this.waiting[i]!;
      if (job.dueAt > now) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      const running: Promise<void> = this.attempt(job).finally(() => this.inFlight.delete(running));
      this.inFlight.add(running);
    }
  }

  /** "Send test": one attempt now, logged, its outcome returned. */
  async sendNow(channel: AlertChannel, payload: AlertPayload): Promise<AlertDelivery> {
    const { delivery } = await this.send(channel, payload, 1);
    return delivery;
  }

  stop(): void {
    this.abort.abort();
    this.waiting.length = 0;
  }

  private async attempt(job: Job): Promise<void> {
    const channel = this.deps.channel(job.channelId);
    if (!channel || !channel.enabled) return; // deleted or switched off meanwhile
    const { result } = await this.send(channel, job.payload, job.attempt);
    if (result.ok || this.abort.signal.aborted) return;
    if (job.attempt <= this.deps.kinds[channel.kind].retries(channel)) {
      this.waiting.push({ ...job, attempt: job.attempt + 1, dueAt: this.deps.clock.now() + backoffMs(job.attempt) });
    }
  }

  private async send(channel: AlertChannel, payload: AlertPayload, attempt: number): Promise<{ result: SendResult; delivery: AlertDelivery }> {
    const started = this.deps.clock.now();
    const startedReal = performance.now();
    let result: SendResult;
    try {
      result = await this.deps.kinds[channel.kind].send(channel, payload, this.abort.signal);
    } catch (err) {
      result = { ok: false, status: null, error: (err as Error).message };
    }
    const counts = (this.sent[channel.kind] ??= { ok: 0, failed: 0 });
    if (result.ok) counts.ok++;
    else counts.failed++;
    const entry = {
      channelId: channel.id, alertId: payload.test ? null : payload.alertId, at: started, attempt, ok: result.ok,
      status: result.status, error: result.error, durationMs: Math.round(performance.now() - startedReal), test: payload.test,
    };
    // stopped meanwhile: the database may be closed already; the attempt is not worth a crash
    if (this.abort.signal.aborted) return { result, delivery: { ...entry, id: 0 } };
    return { result, delivery: this.deps.log(entry) };
  }
}
