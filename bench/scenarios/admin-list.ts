/** Admin list: the first page of the whole fleet, filtered and sorted server-side, as the UI asks for it. */
import type { DeviceList } from '../../src/shared/api';
import type { AdminClient } from '../../src/simulator/admin-client';
import { summarize, type LatencySummary } from '../stats';

export interface AdminListResult { query: string; total: number; items: number; latency: LatencySummary }

export async function adminList(admin: AdminClient, query: string, repetitions: number): Promise<AdminListResult> {
  let last: DeviceList | null = null;
  for (let i = 0; i < 5; i++) last = await admin.request<DeviceList>('GET', `/api/devices?${query}`); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const started = performance.now();
    last = await admin.request<DeviceList>('GET', `/api/devices?${query}`);
    samples.push(performance.now() - started);
  }
  return { query, total: last?.total ?? 0, items: last?.items.length ?? 0, latency: summarize(samples) };
}
