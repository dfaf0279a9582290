/**
 * Sustained fleet: every device checks in on its own interval (open loop, like the real thing),
 * each check-in on a fresh connection as an ESP8266 makes it; latency measured per check-in,
 * server RSS and CPU sampled from /proc. The devices are spread over worker threads: one thread
 * driving them all had an event-loop delay (p99 ~24 ms on a slow day) that sat inside every
 * latency it measured. Each worker's own delay is reported beside the latency.
 */
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SimulatedFleet } from '../../src/simulator/fleet';
import type { SimulatorState } from '../../src/simulator/state-file';
import type { SliceInput, SliceResult } from './sustained-worker';
import { cpuSeconds, sampleRss } from '../proc-stats';
import { summarize, type LatencySummary } from '../stats';

export interface SustainedResult {
  devices: number;
  seconds: number;
  checkins: number;
  checkinsPerSecond: number;
  latency: LatencySummary;
  errors: number;
  firstError?: string;
  serverRssPeakMB: number;
  serverRssEndMB: number;
  /** average over the run, percent of one core */
  serverCpuPercent: number;
  /** the load generator's own CPU and event-loop delay: if these are high, latency is partly ours */
  clientCpuPercent: number;
  clientLoopDelayP99Ms: number;
  /** worker threads the devices were spread over */
  generatorWorkers: number;
}

function runWorker(input: SliceInput): Promise<SliceResult> {
  // The bench runs under tsx, whose loader a worker does not inherit (nor take from execArgv):
  // a small plain-JS worker registers it, then loads the TypeScript slice runner.
  const url = new URL('./sustained-worker.ts', import.meta.url).href;
  const source = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); });`;
  const worker = new Worker(source, { eval: true, workerData: input });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: SliceResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

export async function sustainedFleet(fleet: SimulatedFleet, state: SimulatorState, serverUrl: string, serverPid: number, seconds: number, intervalSeconds: number): Promise<SustainedResult> {
  const workers = Math.max(2, Math.min(4, cpus().length));
  const slices = Array.from({ length: workers }, (_, w) => ({
    ...state,
    devices: state.devices.filter((_, i) => i % workers === w),
  }));
  const rss = sampleRss(serverPid);
  const cpuBefore = cpuSeconds(serverPid);
  const started = performance.now();
  const results = await Promise.all(slices.map((slice) => runWorker({ server: serverUrl, state: slice, seconds, interval: intervalSeconds })));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(serverPid) - cpuBefore;
  const memory = rss.stop();
  const latencies = results.flatMap((r) => r.latencies);
  return {
    devices: fleet.devices.length, seconds: elapsed, checkins: latencies.length, checkinsPerSecond: latencies.length / elapsed,
    latency: summarize(latencies), errors: results.reduce((n, r) => n + r.errors, 0), firstError: results.find((r) => r.firstError)?.firstError,
    serverRssPeakMB: memory.peak / 2 ** 20, serverRssEndMB: memory.last / 2 ** 20, serverCpuPercent: (cpu / elapsed) * 100,
    clientCpuPercent: (results.reduce((n, r) => n + r.cpuSeconds, 0) / elapsed) * 100,
    clientLoopDelayP99Ms: Math.max(...results.map((r) => r.loopDelayP99Ms)),
    generatorWorkers: workers,
  };
}
