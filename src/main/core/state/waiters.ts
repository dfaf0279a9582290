/**
 * Long-poll support: per-device lists of waiting check-ins, woken as soon as anything for that
 * device changes. Waiters remove themselves on timeout and on abort, so a client that goes away
 * leaves nothing behind.
 */
export class DeviceWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  wait(id: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal.aborted || timeoutMs <= 0) return resolve();
      let set = this.waiting.get(id);
      if (!set) this.waiting.set(id, (set = new Set()));
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        const current = this.waiting.get(id);
        if (current) {
          current.delete(done);
          if (current.size === 0) this.waiting.delete(id);
        }
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /** Wakes every check-in waiting for this device. */
  notify(id: string): void {
    const set = this.waiting.get(id);
    if (!set) return;
    for (const done of [...set]) done();
  }

  notifyAll(): void {
    for (const id of [...this.waiting.keys()]) this.notify(id);
  }

  /** Check-ins parked right now: for one device, or for all when no id is given. */
  count(id?: string): number {
    if (id !== undefined) return this.waiting.get(id)?.size ?? 0;
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }
}
