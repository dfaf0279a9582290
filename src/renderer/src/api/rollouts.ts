/** Typed calls of the rollout admin API (contract: src/shared/api/rollouts.ts). Stores call these. */
import type { DeviceUpdateRecord, RolloutCreate, RolloutDetail, RolloutSummary } from '../../../shared/api/rollouts';
import { request } from './http';

const enc = encodeURIComponent;

export const rolloutsApi = {
  list: () => request<{ items: RolloutSummary[] }>('GET', '/api/rollouts'),
  get: (id: number) => request<RolloutDetail>('GET', `/api/rollouts/${id}`),
  create: (body: RolloutCreate) => request<RolloutDetail>('POST', '/api/rollouts', { body }),
  pause: (id: number) => request<RolloutDetail>('POST', `/api/rollouts/${id}/pause`),
  resume: (id: number) => request<RolloutDetail>('POST', `/api/rollouts/${id}/resume`),
  abort: (id: number) => request<RolloutDetail>('POST', `/api/rollouts/${id}/abort`),
  rollbackPhase: (id: number, index: number) => request<RolloutDetail>('POST', `/api/rollouts/${id}/phases/${index}/rollback`),
  exclude: (id: number, devices: string[]) => request<RolloutDetail>('POST', `/api/rollouts/${id}/exclude`, { body: { devices } }),
  deviceUpdates: (mac: string) => request<{ items: DeviceUpdateRecord[] }>('GET', `/api/devices/${enc(mac)}/updates`),
  pin: (mac: string, pinned: boolean) => request<{ pinned: boolean }>('PUT', `/api/devices/${enc(mac)}/firmware-pin`, { body: { pinned } }),
};
