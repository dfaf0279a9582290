/**
 * Runs the built desktop entry (out/main/index.js) in a child Node process with `electron` resolved
 * to the stand-in next to this file, and lets a test read the Electron calls the shell made and act
 * on it as a user or the OS would. Everything waits on reported calls or replies, never on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const repoRoot = resolve(import.meta.dirname, '../../..');

export const BUILT_MAIN_ENTRY = join(repoRoot, 'out', 'main', 'index.js');
const REGISTER_STAND_IN = pathToFileURL(join(import.meta.dirname, 'register.mjs')).href;

/** One reported call: `what` is `Class.method` (or `app.method`); the rest is what it was given. */
export interface ShellCall {
  what: string;
  seq: number;
  [detail: string]: unknown;
}

type Reply = { type: 'reply'; id: number; result?: unknown; error?: string };
type Message = { type: 'call'; what: string } | Reply | { type: 'exit'; code: number };

export class ShellProcess {
  readonly calls: ShellCall[] = [];
  /** exit code of the child (null when killed by a signal) */
  readonly exited: Promise<number | null>;
  stderr = '';
  private readonly child: ChildProcess;
  private readonly waiting = new Set<() => void>();
  private readonly replies = new Map<number, (reply: Reply) => void>();
  private nextId = 1;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, ['--import', REGISTER_STAND_IN, BUILT_MAIN_ENTRY, ...args], {
      cwd: repoRoot,
      env: { ...process.env, FLEETDESK_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.child.on('message', (message: Message) => {
      if (message.type === 'call') this.calls.push({ ...message, seq: this.calls.length });
      if (message.type === 'reply') this.replies.get(message.id)?.(message);
      for (const check of [...this.waiting]) check();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const check of [...this.waiting]) check();
    });
  }

  /** Calls named `what`, optionally only those at or after `from` (a seq). */
  named(what: string, from = 0): ShellCall[] {
    return this.calls.filter((c) => c.what === what && c.seq >= from);
  }

  /** Resolves with the first call (at or after seq `from`) that matches; fails if the process ends first. */
  until(what: string, matches: (call: ShellCall) => boolean = () => true, from = 0, timeoutMs = 20_000): Promise<ShellCall> {
    return new Promise((resolve, reject) => {
      let exited = false;
      void this.exited.then(() => (exited = true));
      const check = (): void => {
        const found = this.calls.find((c) => c.seq >= from && c.what === what && matches(c));
        if (found || exited) {
          this.waiting.delete(check);
          clearTimeout(timer);
          if (found) resolve(found);
          else reject(new Error(`the shell exited before calling ${what}\n${this.stderr.slice(-3000)}`));
        }
      };
      const timer = setTimeout(() => {
        this.waiting.delete(check);
        reject(new Error(`no matching ${what} within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.what).join(', ')}`));
      }, timeoutMs);
      this.waiting.add(check);
      check();
    });
  }

  /** Sends a command to the stand-in and resolves with its result. */
  command<T = unknown>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.replies.set(id, (reply) => {
        this.replies.delete(id);
        if (reply.error) reject(new Error(reply.error));
        else resolve(reply.result as T);
      });
      this.child.send({ id, command, ...args });
    });
  }

  /** Every call the shell made before this returns has been recorded (one ordered channel). */
  async settled(): Promise<void> {
    await this.command('ping');
  }

  get mark(): number {
    return this.calls.length;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
