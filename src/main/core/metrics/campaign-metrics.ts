/**
 * Alert and rollout metrics, read at scrape time from the services that own them: nothing is
 * counted twice and nothing runs on the hot paths. Delivery totals come from the alert delivery
 * queue's own since-start counters, so they are exposed as counters that restart with the process.
 */
import { Counter, Gauge } from 'prom-client';
import type { RolloutDeviceState, RolloutState, RolloutSummary } from '../../../shared/api/rollouts';
import type { AlertCounts } from '../services/alerts/alert-service';
import type { MetricsRegistry } from './registry';

export interface CampaignMetricsSource {
  alerts(): AlertCounts;
  rollouts(): RolloutSummary[];
}

const ROLLOUT_STATES: readonly RolloutState[] = ['running', 'paused', 'done', 'aborted'];

export function registerCampaignMetrics(metrics: MetricsRegistry, source: CampaignMetricsSource): void {
  const registers = [metrics.registry];

  new Gauge({
    name: 'fleetdesk_alerts_firing', help: 'Open alerts; silenced="true" for muted or maintained devices',
    labelNames: ['silenced'], registers,
    collect() {
      const counts = source.alerts();
      this.set({ silenced: 'false' }, counts.firing);
      this.set({ silenced: 'true' }, counts.firingSilent);
    },
  });

  new Gauge({
    name: 'fleetdesk_alert_deliveries_queued', help: 'Alert notifications waiting for a channel (including retries)',
    registers,
    collect() {
      this.set(source.alerts().queued);
    },
  });

  new Counter({
    name: 'fleetdesk_alert_deliveries_total', help: 'Alert delivery attempts since start by channel kind and outcome',
    labelNames: ['kind', 'outcome'], registers,
    collect() {
      this.reset();
      for (const [kind, sent] of Object.entries(source.alerts().deliveries)) {
        this.inc({ kind, outcome: 'ok' }, sent.ok);
        this.inc({ kind, outcome: 'failed' }, sent.failed);
      }
    },
  });

  new Gauge({
    name: 'fleetdesk_rollouts', help: 'Rollout campaigns by state',
    labelNames: ['state'], registers,
    collect() {
      const counts = new Map<RolloutState, number>(ROLLOUT_STATES.map((s) => [s, 0]));
      for (const r of source.rollouts()) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });

  new Gauge({
    name: 'fleetdesk_rollout_devices', help: 'Devices of running or paused rollouts by per-device state',
    labelNames: ['state'], registers,
    collect() {
      const counts = new Map<RolloutDeviceState, number>();
      for (const r of source.rollouts()) {
        if (r.state !== 'running' && r.state !== 'paused') continue;
        for (const [state, n] of Object.entries(r.counts) as [RolloutDeviceState, number][]) counts.set(state, (counts.get(state) ?? 0) + n);
      }
      this.reset();
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
}
