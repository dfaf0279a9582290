/**
 * Child processes that speak JSON lines (the fixtures), run inside a test namespace, and
 * waiting on what they print. Every line carries `t` (Date.now() of the child), so times between
 * processes on this machine can be compared.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TwoHosts } from './netns';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const NODE_TS = [process.execPath, '--import', 'tsx'];
/** Debian's interpreter: python3-zeroconf is a Debian package, a pyenv/venv python would not see it. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export interface Line { event: string; t: number; [key: string]: unknown }

export class JsonLinesProcess {
  readonly lines: Line[] = [];
  private readonly waiters = new Set<() => void>();
  private stderr = '';
  private exited: number | null = null;

  constructor(readonly label: string, readonly child: ChildProcess) {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const part of parts) {
        if (!part.trim()) continue;
        try {
          this.lines.push(JSON.parse(part) as Line);
        } catch {
          this.stderr += `(stdout) ${part}\n`;
        }
      }
      for (const w of this.waiters) w();
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.on('exit', (code) => {
      this.exited = code ?? -1;
      for (const w of this.waiters) w();
    });
  }

  static spawn(hosts: TwoHosts, ns: string, label: string, argv: string[]): JsonLinesProcess {
    return new JsonLinesProcess(label, hosts.spawn(ns, argv));
  }

  find(predicate: (line: Line) => boolean): Line | undefined {
    return this.lines.find(predicate);
  }

  /** Resolves with the first line (already printed or to come) that matches; rejects on timeout or exit. */
  waitFor(what: string, predicate: (line: Line) => boolean, timeoutMs = 10_000, from = 0): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = this.lines.slice(from).find(predicate);
        if (hit) return done(() => resolve(hit));
        if (this.exited !== null) return done(() => reject(this.failure(`${what}: exited with ${this.exited}`)));
      };
      const timer = setTimeout(() => done(() => reject(this.failure(`${what}: not seen within ${timeoutMs} ms`))), timeoutMs);
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  send(obj: object): void {
    this.child.stdin!.write(`${JSON.stringify(obj)}\n`);
  }

  /** SIGTERM and wait for the exit (the advertiser sends its goodbyes first). */
  stop(timeoutMs = 5000): Promise<void> {
    if (this.exited !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, timeoutMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }

  private failure(message: string): Error {
    const tail = this.lines.slice(-5).map((l) => JSON.stringify(l)).join('\n');
    return new Error(`[${this.label}] ${message}\nlast lines:\n${tail}\nstderr:\n${this.stderr.slice(-2000)}`);
  }
}

/** Prints a measured delay, for the issue note (a report, not an assertion). */
export function reportTiming(what: string, fromLabel: string, fromT: number, toT: number): void {
  console.log(`[mdns timing] ${what}: ${toT - fromT} ms after ${fromLabel}`);
}
