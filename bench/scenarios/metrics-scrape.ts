/** GET /metrics on the admin listener with the whole fleet in memory: time per scrape and its size. */
import { summarize, type LatencySummary } from '../stats';

export interface MetricsScrapeResult { devices: number; bytes: number; series: number; latency: LatencySummary }

export async function metricsScrape(adminUrl: string, adminToken: string, devices: number, repetitions: number): Promise<MetricsScrapeResult> {
  const scrape = async (): Promise<string> => {
    const res = await fetch(new URL('/metrics', adminUrl), { headers: { authorization: `Bearer ${adminToken}` } });
    if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
    return res.text();
  };
  let text = '';
  for (let i = 0; i < 3; i++) text = await scrape(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    text = await scrape();
    samples.push(performance.now() - started);
  }
  const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  return { devices, bytes: Buffer.byteLength(text), series, latency: summarize(samples) };
}
