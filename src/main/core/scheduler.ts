/**
 * Repeating timers of the core (write-behind flush, status, retention) go through a Scheduler, so
 * a test can hold them and run each one when it chooses instead of waiting for real time.
 */
export interface Scheduler {
  /** Runs `work` every `ms` until the returned function is called. */
  every(ms: number, work: () => void): () => void;
}

/** Real intervals that never keep the process alive on their own. */
export const intervalScheduler: Scheduler = {
  every(ms, work) {
    const timer = setInterval(work, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
