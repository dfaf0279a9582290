/**
 * The one HTTP transport of the admin API. In the app everything is same-origin with the session
 * cookie; tests (Node) point it at a headless fleet with a bearer token instead.
 */
import type { ErrorEnvelope } from '../../../shared/errors';

export interface ApiTransportOptions {
  /** '' = same origin (the app); an absolute URL in tests */
  baseUrl: string;
  /** extra headers, e.g. Authorization for scripting/tests */
  headers: Record<string, string>;
}

const transport: ApiTransportOptions = { baseUrl: '', headers: {} };

export function configureApi(options: Partial<ApiTransportOptions>): void {
  Object.assign(transport, options);
}

export function apiUrl(path: string): string {
  return transport.baseUrl + path;
}

export function apiHeaders(): Record<string, string> {
  return { ...transport.headers };
}

/** An error reply of the admin API (or a network failure: code 'unreachable', status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What to tell the operator about a failed call: the API's own message, or the error's. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

type Listener = (reachable: boolean) => void;
const reachabilityListeners = new Set<Listener>();
/** The connection store listens here: a failed fetch means the core is unreachable. */
export function onReachability(listener: Listener): () => void {
  reachabilityListeners.add(listener);
  return () => reachabilityListeners.delete(listener);
}
export function reportReachability(reachable: boolean): void {
  for (const listener of reachabilityListeners) listener(reachable);
}

const signedOutListeners = new Set<() => void>();
/** The core answered 401: the session is gone (e.g. the headless app restarted). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}
export function reportSignedOut(): void {
  for (const listener of signedOutListeners) listener();
}

type StorageListener = (fullMessage: string | null) => void;
const storageListeners = new Set<StorageListener>();
/** The core could not save (507, disk full): its message, or null once a change was saved again. */
export function onStorageFull(listener: StorageListener): () => void {
  storageListeners.add(listener);
  return () => storageListeners.delete(listener);
}
/** Called with every reply to a request that changes something. */
export function reportStorage(status: number, message: string | undefined): void {
  if (status === 507) for (const listener of storageListeners) listener(message ?? 'The disk holding the data directory is full.');
  else if (status >= 200 && status < 300) for (const listener of storageListeners) listener(null);
}

export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function parseError(response: Response): Promise<ApiError> {
  let envelope: Partial<ErrorEnvelope> | null = null;
  try {
    envelope = (await response.json()) as Partial<ErrorEnvelope>;
  } catch {
    envelope = null;
  }
  const error = envelope?.error;
  return new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `${response.status} ${response.statusText}`,
    error?.details,
  );
}

export async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers = apiHeaders();
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiUrl(path + queryString(options.query)), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    reportReachability(false);
    throw new ApiError(0, 'unreachable', 'FleetDesk core is unreachable');
  }
  reportReachability(true);
  if (response.status === 401) reportSignedOut();
  if (!response.ok) {
    const error = await parseError(response);
    reportStorage(response.status, error.message);
    throw error;
  }
  if (method !== 'GET') reportStorage(response.status, undefined);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export function isAbort(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'AbortError';
}
