/**
 * The live link to the core: owns the delta stream, fans batches out to the domain stores and
 * says whether the core is reachable (the banner reads `unreachable`).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { FleetDelta } from '../../../shared/api';
import { onReachability, onSignedOut, onStorageFull } from '../api/http';
import { openDeltaStream, type DeltaStream, type StreamState } from '../api/sse';

type DeltaListener = (deltas: FleetDelta[]) => void;
type ReconnectListener = () => void;

export const useConnectionStore = defineStore('connection', () => {
  const streamState = ref<StreamState>('connecting');
  const requestsFailing = ref(false);
  const reconnects = ref(0);
  const lastDeltaAt = ref<number | null>(null);
  const deltaListeners = new Set<DeltaListener>();
  const reconnectListeners = new Set<ReconnectListener>();
  let stream: DeltaStream | null = null;

  /** the core is up but refuses this session (it restarted, or the session expired) */
  const signedOut = ref(false);
  const unreachable = computed(() => !signedOut.value && (streamState.value === 'down' || requestsFailing.value));

  onSignedOut(() => {
    signedOut.value = true;
  });

  /** the core's message while it cannot save (disk full); cleared by the next saved change */
  const storageFull = ref<string | null>(null);
  onStorageFull((message) => {
    storageFull.value = message;
  });

  onReachability((reachable) => {
    requestsFailing.value = !reachable;
  });

  function dispatch(deltas: FleetDelta[]): void {
    lastDeltaAt.value = Date.now();
    for (const listener of deltaListeners) listener(deltas);
  }

  function start(backoff?: number[]): void {
    if (stream) return;
    stream = openDeltaStream({
      backoff,
      onBatch: (batch) => dispatch(batch.deltas ?? []),
      onState: (state) => {
        streamState.value = state;
        if (state === 'open') {
          requestsFailing.value = false;
          signedOut.value = false;
        }
      },
      onReconnected: () => {
        reconnects.value += 1;
        for (const listener of reconnectListeners) listener();
      },
    });
  }

  function stop(): void {
    stream?.close();
    stream = null;
  }

  /** Subscribe to delta batches; returns the unsubscribe function. */
  function onDeltas(listener: DeltaListener): () => void {
    deltaListeners.add(listener);
    return () => deltaListeners.delete(listener);
  }

  /** Subscribe to "connection came back": state may have been missed, refetch. */
  function onReconnect(listener: ReconnectListener): () => void {
    reconnectListeners.add(listener);
    return () => reconnectListeners.delete(listener);
  }

  return { streamState, unreachable, signedOut, storageFull, reconnects, lastDeltaAt, start, stop, onDeltas, onReconnect, dispatch };
});
