/** Typed calls of the transfer admin API (contract: src/shared/api/transfer.ts). Stores call these. */
import type { ImportReport, PreregisteredDevice, ReplaceResult, SeedReport } from '../../../shared/api/transfer';
import { ApiError, apiHeaders, apiUrl, parseError, queryString, reportReachability, request, type Query } from './http';

/** A POST with a non-JSON body (CSV text, a database file). */
async function rawPost<T>(path: string, query: Query, contentType: string, body: string | Blob | ArrayBuffer): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path + queryString(query)), {
      method: 'POST', headers: { ...apiHeaders(), 'Content-Type': contentType }, body, credentials: 'same-origin',
    });
  } catch {
    reportReachability(false);
    throw new ApiError(0, 'unreachable', 'FleetDesk core is unreachable');
  }
  reportReachability(true);
  if (!response.ok) throw await parseError(response);
  return (await response.json()) as T;
}

export type ExportFilter = Query;

export const transferApi = {
  /** a same-origin URL the browser downloads (the session cookie goes along) */
  exportUrl: (format: 'csv' | 'json', filter: ExportFilter) => apiUrl('/api/devices/export' + queryString({ ...filter, format })),
  historyUrl: (id: string) => apiUrl(`/api/devices/${encodeURIComponent(id)}/config/history?limit=500`),
  importDevices: (text: string, dryRun: boolean) => {
    const isJson = /^\s*[[{]/.test(text);
    return rawPost<ImportReport>('/api/devices/import', { dryRun: dryRun ? '1' : undefined }, isJson ? 'application/json' : 'text/csv', text);
  },
  preregistered: () => request<PreregisteredDevice[]>('GET', '/api/preregistrations'),
  removePreregistration: (id: string) => request<void>('DELETE', `/api/preregistrations/${encodeURIComponent(id)}`),
  replace: (id: string, withId: string) => request<ReplaceResult>('POST', `/api/devices/${encodeURIComponent(id)}/replace`, { body: { with: withId } }),
  importSeed: (file: Blob, dryRun: boolean) => rawPost<SeedReport>('/api/import/seed', { dryRun: dryRun ? '1' : undefined }, 'application/octet-stream', file),
};
