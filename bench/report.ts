/** The benchmark's table, with each target and whether this run met it. */
import Table from 'cli-table3';
import type { ThroughputResult } from './load';
import type { AdminListResult } from './scenarios/admin-list';
import type { MetricsScrapeResult } from './scenarios/metrics-scrape';
import type { PropagationResult } from './scenarios/propagation';
import type { LargeStartupResult } from './scenarios/large-startup';
import type { HistoryBenchResult } from './scenarios/history';
import type { SustainedResult } from './scenarios/sustained';
import type { RolloutBenchResult } from './scenarios/rollout';
import { round } from './stats';

export interface BenchResults {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; loadAverage: [number, number] };
  mode: 'quick' | 'full';
  server: 'built' | 'tsx';
  plan: Record<string, number>;
  floors: { express: ThroughputResult; http: ThroughputResult };
  seed: { devices: number; seconds: number };
  empty: { startMs: number; rssMB: number };
  startup: { startMs: number; rssAtReadyMB: number; rssSettledMB: number };
  throughput: ThroughputResult;
  ratios: { toExpress: number; toHttp: number; cpuToExpress: number; cpuToHttp: number };
  sustained: SustainedResult;
  propagation: PropagationResult;
  adminList: AdminListResult[];
  metrics: MetricsScrapeResult;
  finalRssMB: number;
  large: LargeStartupResult;
  history: HistoryBenchResult;
  /** seconds since the measured server process was spawned, to find each phase in a --cpu-prof profile */
  phases: Record<string, [number, number]>;
  /** when that server was spawned, seconds since the benchmark process started (to read its own profile) */
  serverSpawnedAtS: number;
  rollout: RolloutBenchResult[];
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const ms = (value: number) => `${round(value, 1)} ms`;
const rate = (t: ThroughputResult) =>
  `${Math.round(t.requestsPerSecond)}/s · p50 ${ms(t.p50)} · p99 ${ms(t.p99)} · ${Math.round(t.serverCpuMicrosPerRequest)} µs CPU/req${t.errors + t.non2xx ? ` · ${t.errors} err ${t.non2xx} non-2xx` : ''}`;

export function printReport(r: BenchResults): void {
  const n = r.seed.devices;
  const table = new Table({ head: ['measurement', 'result', 'target', 'verdict'], wordWrap: true, colWidths: [34, 58, 22, 16] });
  const rssWithFleet = Math.max(r.startup.rssSettledMB, r.sustained.serverRssPeakMB, r.finalRssMB);
  table.push(
    ['floor: bare node:http', rate(r.floors.http), '', ''],
    ['floor: express hello-world', rate(r.floors.express), '', ''],
    [`check-ins, ${n} devices, ${r.plan.connections} conns`, `${rate(r.throughput)}\nmedian of within-round ratios, req/s: ${round(r.ratios.toExpress, 2)} × express · ${round(r.ratios.toHttp, 2)} × node:http\nby CPU/req: ${round(r.ratios.cpuToExpress, 2)} × express · ${round(r.ratios.cpuToHttp, 2)} × node:http`, '≥ 0.8 × express', `req/s: ${verdict(r.ratios.toExpress >= 0.8 && r.throughput.non2xx === 0)}\nCPU: ${verdict(r.ratios.cpuToExpress >= 0.8)}`],
    [`sustained: ${r.sustained.devices} devices / ${r.plan.interval} s, ${Math.round(r.sustained.seconds)} s`,
      `${Math.round(r.sustained.checkinsPerSecond)} check-ins/s · p50 ${ms(r.sustained.latency.p50)} · p99 ${ms(r.sustained.latency.p99)} · max ${ms(r.sustained.latency.max)}\nerrors ${r.sustained.errors}${r.sustained.firstError ? ` (${r.sustained.firstError})` : ''} · server CPU ${round(r.sustained.serverCpuPercent)} % · RSS peak ${round(r.sustained.serverRssPeakMB)} MB\n(load generator, ${r.sustained.generatorWorkers} worker threads: CPU ${round(r.sustained.clientCpuPercent)} %, own event-loop delay p99 ${ms(r.sustained.clientLoopDelayP99Ms)}, worst worker)`,
      'p99 < 20 ms, 0 errors', verdict(r.sustained.latency.p99 < 20 && r.sustained.errors === 0)],
    [`config propagation, ${r.propagation.devices} long-polls`,
      `acked p50 ${ms(r.propagation.acked.p50)} · p99 ${ms(r.propagation.acked.p99)} · max ${ms(r.propagation.acked.max)}\n(delivered p99 ${ms(r.propagation.delivered.p99)}; server shows all in sync at ${ms(r.propagation.serverConfirmedMs)}; PUT ${ms(r.propagation.putMs)})`,
      'p99 < 1 s', verdict(r.propagation.acked.p99 < 1000 && r.propagation.acked.count === r.propagation.devices)],
    ...r.adminList.map((l) => [`admin list: ${l.query.split('&').slice(0, 2).join(' ')}`, `p50 ${ms(l.latency.p50)} · p99 ${ms(l.latency.p99)} · ${l.items} of ${l.total}`, 'p99 < 50 ms', verdict(l.latency.p99 < 50)]),
    [`GET /metrics, ${r.metrics.devices} devices`, `p50 ${ms(r.metrics.latency.p50)} · p99 ${ms(r.metrics.latency.p99)} · ${round(r.metrics.bytes / 2 ** 20, 2)} MiB · ${r.metrics.series} series`, '', ''],
    ['start-up, empty data dir', `${ms(r.empty.startMs)} · RSS ${round(r.empty.rssMB)} MB`, '', ''],
    [`start-up holding ${n} devices`, `${ms(r.startup.startMs)} · RSS ${round(r.startup.rssAtReadyMB)} MB at ready, ${round(r.startup.rssSettledMB)} MB settled`, '', ''],
    [`start-up holding ${r.large.devices} devices (SQL-generated)`, `${ms(r.large.startMs)} · RSS ${round(r.large.rssAtReadyMB)} MB at ready, ${round(r.large.rssSettledMB)} MB settled · heap ${r.large.heapFlags[0]} · check-in after start: ${r.large.servedStatus}`, 'starts and serves', verdict(r.large.servedStatus === 200)],
    [`server RSS with ${n} devices (max seen)`, `${round(rssWithFleet)} MB (after the run ${round(r.finalRssMB)} MB)`, '< 200 MB', verdict(rssWithFleet < 200)],
  );
  printHistoryReport(r.history);
  process.stdout.write(`FleetDesk benchmark (${r.mode}, server: ${r.server}) — ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${round(r.machine.loadAverage[0], 1)} → ${round(r.machine.loadAverage[1], 1)}\n`);
  process.stdout.write(`${table.toString()}\n`);
}

/** The history rows: check-in cost with and without it (same run), storage per device per day, query times. */
export function printHistoryReport(h: HistoryBenchResult): void {
  const kb = (bytes: number) => `${round(bytes / 1000, 1)} KB`;
  const q = (x: { p50: number; max: number }) => `p50 ${ms(x.p50)} · max ${ms(x.max)}`;
  const s = h.storage;
  const table = new Table({ head: ['history measurement', 'result', 'target', 'verdict'], wordWrap: true, colWidths: [34, 58, 22, 16] });
  table.push(
    [`check-in CPU, ${h.devices} devices (in-process, flushes included)`, `without history ${round(h.checkinCpu.withoutMicros, 1)} µs · with ${round(h.checkinCpu.withMicros, 1)} µs (${h.checkinCpu.rounds} interleaved rounds × ${h.checkinCpu.checkinsPerRound})`, '≤ +10 %', verdict(h.checkinCpu.withMicros <= h.checkinCpu.withoutMicros * 1.1)],
    [`hour rollover, ${h.devices} buckets`, `${ms(h.hourRolloverMs)} to close and write all (in production spread over the first check-ins of the hour, in 32-row steps)`, '', ''],
    ['storage per device per day', `raw ${kb(s.rawBytesPerDeviceDay)} (${round(s.rawBytesPerSample)} B/sample, kept ${s.rawDays} d) · hourly ${kb(s.bucketBytesPerDeviceDay)} (${round(s.bucketBytesPerRow)} B/bucket, kept ${s.historyDays} d) · reboot ${round(s.rebootBytesPerRow)} B · fleet ${kb(s.fleetBytesPerDay)}/day`, '≤ 115 KB written', verdict(s.rawBytesPerDeviceDay + s.bucketBytesPerDeviceDay <= 115_000)],
    ['steady state per device (defaults)', `${kb(s.steadyBytesPerDevice)} · ${round((s.steadyBytesPerDevice * h.devices) / 1e9, 2)} GB for ${h.devices} devices`, '≤ 660 KB', verdict(s.steadyBytesPerDevice <= 660_000)],
    [`dashboard, ${h.devices} devices, 24 h / 30 d`, `${q(h.queries.dashboard24h)} / ${q(h.queries.dashboard30d)}`, 'p50 < 100 ms', verdict(h.queries.dashboard30d.p50 < 100 && h.queries.dashboard24h.p50 < 100)],
    ['device chart 30 d (hourly) / 24 h (raw)', `${q(h.queries.chart30d)} / ${q(h.queries.chart24h)}`, 'p50 < 20 ms', verdict(h.queries.chart30d.p50 < 20 && h.queries.chart24h.p50 < 20)],
    ['availability 30 d', q(h.queries.availability30d), 'p50 < 20 ms', verdict(h.queries.availability30d.p50 < 20)],
  );
  process.stdout.write(`${table.toString()}\n`);
}
