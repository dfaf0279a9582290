/**
 * Firmware upload: raw octet-stream body. XMLHttpRequest because fetch has no upload progress;
 * where XHR does not exist (Node tests) it falls back to fetch without progress.
 */
import type { FirmwareSummary } from '../../../shared/api';
import { ApiError, apiHeaders, apiUrl, parseError, queryString, reportReachability, reportStorage } from './http';

export interface UploadMeta { name: string; version: string; notes?: string }
export type UploadBody = Blob | ArrayBuffer | Uint8Array;

/** The parts of XMLHttpRequest this file uses; typed structurally so Node-side typechecks pass. */
interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: unknown): void;
  withCredentials: boolean;
  status: number;
  responseText: string;
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
}
type XhrConstructor = new () => XhrLike;

export function uploadFirmware(
  meta: UploadMeta,
  body: UploadBody,
  onProgress: (fraction: number) => void = () => {},
): Promise<FirmwareSummary> {
  const url = apiUrl('/api/firmware' + queryString({ ...meta }));
  const Xhr = (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest;
  if (!Xhr) return uploadWithFetch(url, body);
  return new Promise((resolve, reject) => {
    const xhr = new Xhr();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(apiHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => {
      reportReachability(false);
      reject(new ApiError(0, 'unreachable', 'FleetDesk core is unreachable'));
    };
    xhr.onload = () => {
      reportReachability(true);
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(parsed as FirmwareSummary);
      } else {
        const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
        reportStorage(xhr.status, error?.message);
        reject(new ApiError(xhr.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${xhr.status}`, error?.details));
      }
    };
    xhr.send(body);
  });
}

async function uploadWithFetch(url: string, body: UploadBody): Promise<FirmwareSummary> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...apiHeaders(), 'Content-Type': 'application/octet-stream' },
    body: body as BodyInit,
  });
  if (!response.ok) throw await parseError(response);
  return (await response.json()) as FirmwareSummary;
}
