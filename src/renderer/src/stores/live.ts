/**
 * A store's `wire()`: subscribes it to the delta stream, and optionally reloads it after a
 * reconnect, exactly once however often it is called.
 */
import type { FleetDelta } from '../../../shared/api';
import { useConnectionStore } from './connection';

export function liveWiring(applyDeltas: (deltas: FleetDelta[]) => void, onReconnect?: () => void): () => void {
  let wired = false;
  return () => {
    if (wired) return;
    wired = true;
    const connection = useConnectionStore();
    connection.onDeltas(applyDeltas);
    if (onReconnect) connection.onReconnect(onReconnect);
  };
}
