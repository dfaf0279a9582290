/**
 * The fleet's own metrics, computed when Prometheus scrapes from the in-memory state the check-in
 * path already keeps (collect callbacks): nothing here runs per check-in.
 */
import { Counter, Gauge, type MetricType, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';
import type { DeviceStatus } from '../../../shared/status';
import type { DeviceRuntime, FleetState } from '../state/runtime';
import type { MetricsRegistry } from './registry';

// prom-client declares MetricType as an enum in its types but exports no such object at runtime
const GAUGE = 'gauge' as unknown as MetricType;
const STATUSES: readonly DeviceStatus[] = ['online', 'late', 'offline', 'pending', 'blocked'];
const NO_PROFILE = '';
const DEVICE_LABELS = ['mac', 'name'] as const;

/** What the collectors read; a getter because a restore swaps the whole state object. */
export interface FleetMetricsSource {
  state(): FleetState;
}

/** One per-device gauge: its value from the device in memory, or none while it has not reported it. */
interface PerDevice {
  name: string;
  help: string;
  value: (d: DeviceRuntime) => number | null;
}

const PER_DEVICE: readonly PerDevice[] = [
  { name: 'fleetdesk_device_last_seen_timestamp_seconds', help: 'Unix time of the device\'s last check-in', value: (d) => (d.lastSeenAt === null ? null : d.lastSeenAt / 1000) },
  { name: 'fleetdesk_device_online', help: '1 while the device checks in on time (status online), else 0', value: (d) => (d.status === 'online' ? 1 : 0) },
  { name: 'fleetdesk_device_rssi_dbm', help: 'Wi-Fi signal the device last reported, dBm', value: (d) => d.rssi },
  { name: 'fleetdesk_device_heap_free_bytes', help: 'Free heap the device last reported, bytes', value: (d) => d.heap },
  { name: 'fleetdesk_device_uptime_seconds', help: 'Uptime the device last reported, seconds', value: (d) => d.uptime },
  {
    name: 'fleetdesk_device_config_in_sync',
    help: '1 when the device has applied its current configuration (cfgsn), else 0',
    value: (d) => (d.cfgsnReported === d.cfgsn ? 1 : 0),
  },
];

/**
 * A gauge with one series per device, its values produced straight from the device map when
 * scraped. Gauge.set() validates and hashes the labels of every call, which at 10 000 devices ×
 * six families took seconds of the event loop per scrape; the exposition format is the same.
 */
class PerDeviceGauge extends Gauge<'mac' | 'name'> {
  constructor(
    private readonly spec: PerDevice,
    registers: Registry[],
    private readonly source: FleetMetricsSource,
    private readonly labelsFor: (d: DeviceRuntime) => { mac: string; name: string },
    private readonly firstOfScrape: () => void,
  ) {
    super({ name: spec.name, help: spec.help, labelNames: DEVICE_LABELS, registers });
  }

  override get(): Promise<MetricObjectWithValues<MetricValue<'mac' | 'name'>>> {
    // names can change between scrapes: the first family rebuilds the shared label objects
    if (this.spec === PER_DEVICE[0]) this.firstOfScrape();
    const values: MetricValue<'mac' | 'name'>[] = [];
    for (const d of this.source.state().devices.values()) {
      const value = this.spec.value(d);
      if (value !== null) values.push({ value, labels: this.labelsFor(d) });
    }
    return Promise.resolve({ name: this.spec.name, help: this.spec.help, type: GAUGE, values, aggregator: 'sum', collect: () => undefined });
  }
}

export function registerFleetMetrics(metrics: MetricsRegistry, source: FleetMetricsSource): void {
  const registers = [metrics.registry];
  const { protocol } = metrics;

  new Gauge({
    name: 'fleetdesk_devices', help: 'Devices by status (online, late, offline, or pending / blocked registration)',
    labelNames: ['status'], registers,
    collect() {
      const counts = new Map<DeviceStatus, number>(STATUSES.map((s) => [s, 0]));
      for (const d of source.state().devices.values()) counts.set(d.status, (counts.get(d.status) ?? 0) + 1);
      for (const [status, n] of counts) this.set({ status }, n);
    },
  });

  new Gauge({
    name: 'fleetdesk_devices_by_profile', help: 'Devices per profile (profile="" for devices without one)',
    labelNames: ['profile'], registers,
    collect() {
      const state = source.state();
      const counts = new Map<string, number>([[NO_PROFILE, 0]]);
      for (const p of state.profiles.values()) counts.set(p.name, 0);
      for (const d of state.devices.values()) {
        const name = d.profileId === null ? NO_PROFILE : (state.profiles.get(d.profileId)?.name ?? NO_PROFILE);
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      // a deleted profile's series disappears instead of staying at its last count
      this.reset();
      for (const [profile, n] of counts) this.set({ profile }, n);
    },
  });

  // One labels object per device per scrape, shared by all six families.
  let labelsOf = new WeakMap<DeviceRuntime, { mac: string; name: string }>();
  const labels = (d: DeviceRuntime) => {
    let l = labelsOf.get(d);
    if (!l) {
      l = { mac: d.id, name: d.name };
      labelsOf.set(d, l);
    }
    return l;
  };
  for (const spec of PER_DEVICE) new PerDeviceGauge(spec, registers, source, labels, () => (labelsOf = new WeakMap()));

  new Counter({
    name: 'fleetdesk_checkins_total', help: 'Check-ins answered, by protocol (v1, or the legacy GET)',
    labelNames: ['protocol'], registers,
    collect() {
      this.reset();
      this.inc({ protocol: 'v1' }, protocol.checkins.v1);
      this.inc({ protocol: 'legacy' }, protocol.checkins.legacy);
    },
  });

  new Counter({
    name: 'fleetdesk_registrations_total', help: 'Register requests answered, by protocol',
    labelNames: ['protocol'], registers,
    collect() {
      this.reset();
      this.inc({ protocol: 'v1' }, protocol.registrations.v1);
      this.inc({ protocol: 'legacy' }, protocol.registrations.legacy);
    },
  });
}
