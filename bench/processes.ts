/**
 * Servers under test run in their own processes, so their RSS and CPU can be measured and the load
 * generator never shares their event loop. Each prints one JSON line `{"event":"ready",…}` on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** Every server still running; killed if the benchmark itself dies, so nothing is left listening. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ServerProcess<Ready> {
  child: ChildProcess;
  pid: number;
  ready: Ready;
  /** spawn → ready line, milliseconds */
  startMs: number;
  stop(): Promise<void>;
}

export async function spawnServer<Ready>(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string; logPath?: string } = {}): Promise<ServerProcess<Ready>> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (options.logPath) {
    const log = createWriteStream(options.logPath, { flags: 'a' });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  }
  const stderrTail: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail.push(chunk);
    if (stderrTail.length > 20) stderrTail.shift();
  });
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no ready line within ${options.timeoutMs ?? 60_000} ms`)), options.timeoutMs ?? 60_000);
    function fail(error: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderrTail.join('').slice(-2000)}`));
    }
    const onEarlyExit = (code: number | null) => fail(new Error(`exited with code ${code} before it was ready`));
    child.once('exit', onEarlyExit);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      try {
        const parsed = JSON.parse(line) as { event?: string };
        if (parsed.event !== 'ready') return;
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve(parsed as Ready);
      } catch {
        // not our line
      }
    });
  });
  const startMs = performance.now() - started;
  lines.on('line', () => {}); // keep draining stdout so the child never blocks on a full pipe
  return {
    child, pid: child.pid!, ready, startMs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
