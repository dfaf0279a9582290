/**
 * Closed-loop load (autocannon): N connections as fast as the server answers, for throughput.
 * Requests are prebuilt (no per-request setupRequest callback: that costs the single-threaded
 * load generator so much it becomes the bottleneck on a 2-core machine), and the floors get the
 * same shape of request list as the fleet, so the client does identical work in every run.
 */
import autocannon from 'autocannon';
import { cpuSeconds } from './proc-stats';

export interface ThroughputResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /**
   * Server CPU time per answered request (user + system, from /proc): unlike requests/s it does
   * not depend on how much CPU other processes leave, so its ratio is the steadier comparison.
   */
  serverCpuMicrosPerRequest: number;
}

export interface PreparedRequest { method: string; path: string; headers: Record<string, string>; body?: string }

export async function measureThroughput(options: {
  url: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** every connection cycles through this list */
  requests: PreparedRequest[];
  serverPid: number;
}): Promise<ThroughputResult> {
  const { url, connections, requests } = options;
  if (options.warmupSeconds > 0) await autocannon({ url, connections, duration: options.warmupSeconds, requests });
  const cpuBefore = cpuSeconds(options.serverPid);
  const result = await autocannon({ url, connections, duration: options.durationSeconds, requests });
  const cpu = cpuSeconds(options.serverPid) - cpuBefore;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result['2xx'] + result.non2xx,
    serverCpuMicrosPerRequest: (cpu * 1e6) / Math.max(1, result['2xx'] + result.non2xx),
  };
}
