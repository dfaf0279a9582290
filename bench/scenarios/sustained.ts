/**
 * Sustained fleet: every device checks in on its own interval (open loop, like the real thing),
 * each check-in on a fresh connection as an ESP8266 makes it; latency measured per check-in,
 * server RSS and CPU sampled from /proc.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SimulatedFleet } from '../../src/simulator/fleet';
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
}

export async function sustainedFleet(fleet: SimulatedFleet, serverPid: number, seconds: number, intervalSeconds: number): Promise<SustainedResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const onCheckin = ({ latencyMs }: { latencyMs: number }) => latencies.push(latencyMs);
  const onFault = ({ error }: { error: Error }) => {
    errors += 1;
    firstError ??= error.message;
  };
  for (const d of fleet.devices) {
    d.on('checkin', onCheckin);
    d.on('fault', onFault);
  }
  const rss = sampleRss(serverPid);
  const cpuBefore = cpuSeconds(serverPid);
  const clientCpuBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const started = performance.now();
  fleet.start(intervalSeconds);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(serverPid) - cpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  loopDelay.disable();
  const checkins = latencies.length;
  await Promise.all(fleet.devices.map((d) => d.stop()));
  const memory = rss.stop();
  for (const d of fleet.devices) {
    d.off('checkin', onCheckin);
    d.off('fault', onFault);
  }
  return {
    devices: fleet.devices.length, seconds: elapsed, checkins, checkinsPerSecond: checkins / elapsed,
    latency: summarize(latencies.slice(0, checkins)), errors, firstError,
    serverRssPeakMB: memory.peak / 2 ** 20, serverRssEndMB: memory.last / 2 ** 20, serverCpuPercent: (cpu / elapsed) * 100,
    clientCpuPercent: ((clientCpu.user + clientCpu.system) / 1e6 / elapsed) * 100,
    clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
  };
}
