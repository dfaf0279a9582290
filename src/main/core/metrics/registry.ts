/**
 * The metrics seam: one prom-client Registry per fleet (never prom-client's global one, so several
 * fleets in one process — tests, the benchmark — keep their numbers apart) and the plain counters
 * the device protocol bumps.
 *
 * Another service adds its own metrics by creating them on `ctx.metrics.registry`:
 *
 *   new Counter({ name: 'fleetdesk_alerts_fired_total', help: '…', registers: [ctx.metrics.registry] })
 *
 * Values that already live in memory are best read at scrape time with a `collect()` callback, so
 * the work is paid per scrape and not per event.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * Bumped on the check-in path: a property increment and nothing else (no label hashing there);
 * the counters in fleet-metrics.ts read them when Prometheus scrapes.
 */
export interface ProtocolCounters {
  checkins: { v1: number; legacy: number };
  registrations: { v1: number; legacy: number };
}

export interface MetricsRegistry {
  readonly registry: Registry;
  readonly protocol: ProtocolCounters;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/**
 * process_* and nodejs_* (CPU, memory, event loop lag, handles, GC) describe the process, not a
 * fleet, and their event-loop monitor is a timer that is never stopped: one registry per process.
 */
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    // Gauges named like counters fail promtool's lint; their per-type series without the suffix
    // (nodejs_active_handles{type=…}, …) stay and add up to the same totals.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      processRegistry.removeSingleMetric(name);
    }
  }
  return processRegistry;
}

export function createMetricsRegistry(): MetricsRegistry {
  const registry = new Registry();
  const protocol: ProtocolCounters = { checkins: { v1: 0, legacy: 0 }, registrations: { v1: 0, legacy: 0 } };
  return {
    registry,
    protocol,
    async scrape() {
      // Two registries with disjoint names: their texts concatenate into one valid exposition.
      const [fleet, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return { contentType: registry.contentType, body: fleet + process };
    },
  };
}
