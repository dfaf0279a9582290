/**
 * Closed-loop load (autocannon): N connections as fast as the server answers, for throughput.
 * Requests are prebuilt (no per-request setupRequest callback: that costs the single-threaded
 * load generator so much it becomes the bottleneck on a 2-core machine), and the floors get the
 * same shape of request list as the fleet, so the client does identical work in every run.
 *
 * Targets are measured in interleaved short rounds (A B C A B C …) and summarised by medians:
 * other work on a shared machine then hits every target alike instead of whichever ran during
 * the busy minute, and ratios are taken within a round.
 */
import autocannon from 'autocannon';
import { cpuSeconds } from './proc-stats';

export interface PreparedRequest { method: string; path: string; headers: Record<string, string>; body?: string }

export interface ThroughputTarget { name: string; url: string; serverPid: number; requests: PreparedRequest[] }

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
  /** requests/s of every round, in order */
  rounds: number[];
}

interface Round { rps: number; p50: number; p99: number; errors: number; non2xx: number; total: number; cpuMicros: number }

async function oneRound(target: ThroughputTarget, connections: number, seconds: number): Promise<Round> {
  const cpuBefore = cpuSeconds(target.serverPid);
  const result = await autocannon({ url: target.url, connections, duration: seconds, requests: target.requests });
  const cpu = cpuSeconds(target.serverPid) - cpuBefore;
  const total = result['2xx'] + result.non2xx;
  return {
    rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
    errors: result.errors + result.timeouts, non2xx: result.non2xx, total, cpuMicros: (cpu * 1e6) / Math.max(1, total),
  };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function interleavedThroughput(options: {
  targets: ThroughputTarget[];
  connections: number;
  rounds: number;
  secondsPerRound: number;
  warmupSeconds: number;
}): Promise<{ results: Record<string, ThroughputResult>; roundsByTarget: Record<string, Round[]> }> {
  const { targets, connections } = options;
  for (const target of targets) await oneRound(target, connections, options.warmupSeconds);
  const roundsByTarget: Record<string, Round[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let r = 0; r < options.rounds; r++) {
    for (const target of targets) roundsByTarget[target.name]!.push(await oneRound(target, connections, options.secondsPerRound));
  }
  const results: Record<string, ThroughputResult> = {};
  for (const [name, rounds] of Object.entries(roundsByTarget)) {
    results[name] = {
      requestsPerSecond: median(rounds.map((x) => x.rps)),
      p50: median(rounds.map((x) => x.p50)),
      p99: median(rounds.map((x) => x.p99)),
      errors: rounds.reduce((a, x) => a + x.errors, 0),
      non2xx: rounds.reduce((a, x) => a + x.non2xx, 0),
      total: rounds.reduce((a, x) => a + x.total, 0),
      serverCpuMicrosPerRequest: median(rounds.map((x) => x.cpuMicros)),
      rounds: rounds.map((x) => Math.round(x.rps)),
    };
  }
  return { results, roundsByTarget };
}

/** Median over rounds of (ours / floor) for requests/s and (floor / ours) for CPU per request. */
export function roundRatios(ours: Round[], floor: Round[]): { rps: number; cpu: number } {
  return {
    rps: median(ours.map((o, i) => o.rps / floor[i]!.rps)),
    cpu: median(ours.map((o, i) => floor[i]!.cpuMicros / o.cpuMicros)),
  };
}
