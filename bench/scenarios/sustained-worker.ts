/**
 * One slice of the sustained fleet, in its own worker thread: its check-ins, their latency and
 * this thread's own event-loop delay go back to the main thread at the end.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { SimulatedFleet } from '../../src/simulator/fleet';
import type { SimulatorState } from '../../src/simulator/state-file';

export interface SliceInput { server: string; state: SimulatorState; seconds: number; interval: number }
export interface SliceResult { latencies: number[]; errors: number; firstError?: string; loopDelayP99Ms: number; cpuSeconds: number }

async function runSlice(input: SliceInput): Promise<SliceResult> {
  const fleet = new SimulatedFleet({ server: input.server, count: input.state.devices.length, state: input.state, interval: input.interval, wait: 0 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  for (const d of fleet.devices) {
    d.on('checkin', ({ latencyMs }: { latencyMs: number }) => latencies.push(latencyMs));
    d.on('fault', ({ error }: { error: Error }) => {
      errors += 1;
      firstError ??= error.message;
    });
  }
  const cpuBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  fleet.start(input.interval);
  await new Promise((r) => setTimeout(r, input.seconds * 1000));
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuBefore);
  const counted = latencies.length;
  await fleet.stop();
  fleet.agent.destroy();
  return { latencies: latencies.slice(0, counted), errors, firstError, loopDelayP99Ms: loopDelay.percentile(99) / 1e6, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

if (parentPort) {
  const port = parentPort;
  runSlice(workerData as SliceInput).then((result) => port.postMessage(result), (error: unknown) => {
    throw error;
  });
}
