/** RSS and CPU time of another process, read from /proc (Linux: the machine the benchmark runs on). */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** user + system CPU seconds consumed so far */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the parenthesised command name; utime and stime are fields 14 and 15
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Samples RSS every `everyMs` until stopped; returns peak and last. */
export function sampleRss(pid: number, everyMs = 500): { stop(): { peak: number; last: number } } {
  let peak = rssBytes(pid);
  let last = peak;
  const timer = setInterval(() => {
    try {
      last = rssBytes(pid);
      peak = Math.max(peak, last);
    } catch {
      // the process is gone; keep what we have
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peak, last };
    },
  };
}
