import type { FleetDelta } from '../../../shared/api';
import type { DeltaBus } from '../services/contracts';

type Listener = (delta: FleetDelta) => void;

/**
 * Fans deltas out to subscribers (the SSE stream, the tray, notifications). Deltas emitted
 * inside `hold` are only delivered once it returns, and dropped if it throws — so a rolled-back
 * transaction never announces a change that did not happen.
 */
export class DeltaBusImpl implements DeltaBus {
  private readonly listeners = new Set<Listener>();
  private held: FleetDelta[] | null = null;

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  emit(delta: FleetDelta): void {
    if (this.held) this.held.push(delta);
    else this.dispatch(delta);
  }

  hold<T>(fn: () => T): T {
    if (this.held) return fn(); // nested: the outermost hold delivers
    this.held = [];
    let deltas: FleetDelta[];
    try {
      const result = fn();
      deltas = this.held;
      this.held = null;
      for (const delta of deltas) this.dispatch(delta);
      return result;
    } finally {
      this.held = null;
    }
  }

  private dispatch(delta: FleetDelta): void {
    for (const listener of this.listeners) {
      try {
        listener(delta);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}
