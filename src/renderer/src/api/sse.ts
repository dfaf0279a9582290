/**
 * The delta stream (GET /api/events/stream). Read with fetch rather than EventSource so one code
 * path runs in the app and in Node tests (bearer header), and so reconnection and the "core
 * unreachable" banner are under our control (EventSource hides why and when it retries).
 */
import type { DeltaBatch } from '../../../shared/api';
import { apiHeaders, apiUrl, reportSignedOut } from './http';

export type StreamState = 'connecting' | 'open' | 'down';

export interface DeltaStreamOptions {
  onBatch(batch: DeltaBatch): void;
  onState(state: StreamState): void;
  /** called when a connection opens after an earlier one was lost: lists must be refetched */
  onReconnected(): void;
  /** retry delays in ms, the last repeats */
  backoff?: number[];
}

export interface DeltaStream { close(): void }

/** Parses an SSE byte stream into `data:` payloads (events are separated by a blank line). */
export function createSseParser(onData: (data: string) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n');
      if (data) onData(data);
    }
  };
}

export function openDeltaStream(options: DeltaStreamOptions): DeltaStream {
  const backoff = options.backoff ?? [500, 1000, 2000, 4000];
  let closed = false;
  let attempt = 0;
  let everOpened = false;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  async function connect(): Promise<void> {
    controller = new AbortController();
    options.onState('connecting');
    try {
      const response = await fetch(apiUrl('/api/events/stream'), {
        headers: { ...apiHeaders(), Accept: 'text/event-stream' },
        credentials: 'same-origin',
        signal: controller.signal,
      });
      if (response.status === 401) reportSignedOut();
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      attempt = 0;
      options.onState('open');
      if (everOpened) options.onReconnected();
      everOpened = true;
      const parse = createSseParser((data) => {
        try {
          options.onBatch(JSON.parse(data) as DeltaBatch);
        } catch {
          // a malformed message is dropped; the next list refetch repairs anything missed
        }
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parse(decoder.decode(value, { stream: true }));
      }
    } catch {
      // fall through to reconnect
    }
    if (closed) return;
    options.onState('down');
    const delay = backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
    attempt += 1;
    retryTimer = setTimeout(() => void connect(), delay);
  }

  void connect();
  return {
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      controller?.abort();
    },
  };
}
