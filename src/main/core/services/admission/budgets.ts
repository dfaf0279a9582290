/**
 * New-device budgets: how many devices (and claims) may be created per minute, in all and per
 * network. Fixed one-minute windows; only admissions are counted, so the per-network map holds
 * at most as many entries as the global budget allows per minute.
 */
import { FleetError } from '../../errors';
import { networkOf } from './network';

const WINDOW_MS = 60_000;

export interface BudgetLimits { perMinute: number; perNetworkPerMinute: number }

export type BudgetRefusal = { kind: 'global_budget' | 'network_budget'; network: string; error: FleetError };

export class NewDeviceBudgets {
  private windowStart = -Infinity;
  private used = 0;
  private readonly perNetwork = new Map<string, number>();

  constructor(
    private readonly limits: () => BudgetLimits,
    /** clients that spend nothing (by default loopback: simulator, benchmark, the operator's tools) */
    private readonly exempt: (remoteAddress: string) => boolean,
  ) {}

  /** The budgets start afresh (e.g. the operator changed them). */
  reset(): void {
    this.windowStart = -Infinity;
    this.used = 0;
    this.perNetwork.clear();
  }

  /** whether loopback clients are exempt (shown in the limits state) */
  get exemptLoopback(): boolean {
    return this.exempt('127.0.0.1');
  }

  usedThisMinute(now: number): number {
    return now - this.windowStart >= WINDOW_MS ? 0 : this.used;
  }

  /**
   * Whether one more admission from this address fits: null = yes (or exempt), else the refusal.
   * Nothing is spent: call spend() once the device or claim has been created.
   */
  check(remoteAddress: string, now: number): BudgetRefusal | null {
    if (this.exempt(remoteAddress)) return null;
    this.roll(now);
    const network = networkOf(remoteAddress);
    const retryAfter = Math.max(1, Math.ceil((this.windowStart + WINDOW_MS - now) / 1000));
    const { perMinute, perNetworkPerMinute } = this.limits();
    if ((this.perNetwork.get(network) ?? 0) >= perNetworkPerMinute) {
      const message = `too many new devices from network ${network} (${perNetworkPerMinute} a minute); retry later`;
      return { kind: 'network_budget', network, error: new FleetError('rate_limited', message, { limit: 'network_budget', network }, retryAfter) };
    }
    if (this.used >= perMinute) {
      const message = `too many new devices on this server (${perMinute} a minute); retry later`;
      return { kind: 'global_budget', network, error: new FleetError('rate_limited', message, { limit: 'global_budget' }, retryAfter) };
    }
    return null;
  }

  spend(remoteAddress: string, now: number): void {
    if (this.exempt(remoteAddress)) return;
    this.roll(now);
    const network = networkOf(remoteAddress);
    this.used += 1;
    this.perNetwork.set(network, (this.perNetwork.get(network) ?? 0) + 1);
  }

  private roll(now: number): void {
    if (now - this.windowStart < WINDOW_MS) return;
    this.windowStart = now;
    this.used = 0;
    this.perNetwork.clear();
  }
}
