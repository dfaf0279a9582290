/** Closed-loop load (autocannon): N connections as fast as the server answers, for throughput. */
import autocannon from 'autocannon';

export interface ThroughputResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

export async function measureThroughput(options: {
  url: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** builds each request; called per request so a fleet of devices can take turns */
  nextRequest: () => { method: string; path: string; headers: Record<string, string>; body?: string };
}): Promise<ThroughputResult> {
  const requests = [{ setupRequest: () => options.nextRequest() }];
  if (options.warmupSeconds > 0) {
    await autocannon({ url: options.url, connections: options.connections, duration: options.warmupSeconds, requests });
  }
  const result = await autocannon({ url: options.url, connections: options.connections, duration: options.durationSeconds, requests });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result['2xx'] + result.non2xx,
  };
}
