/**
 * `npm run bench [-- --quick] [--tsx] [--cpu-prof]`: the FleetDesk targets measured on this machine,
 * side by side with floors measured in the same run. Loopback only; bounded; stops by itself.
 * Prints a table and writes bench/results.json.
 */
import { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuilt, startFleetProcess } from './fleet-process';
import { spawnServer } from './processes';
import { rssBytes } from './proc-stats';
import { printHistoryReport, printReport, type BenchResults } from './report';
import { adminList } from './scenarios/admin-list';
import { type HistoryBenchResult, historyBench } from './scenarios/history';
import { largeStartup } from './scenarios/large-startup';
import { metricsScrape } from './scenarios/metrics-scrape';
import { configPropagation } from './scenarios/propagation';
import { seedFleet } from './scenarios/seed';
import { sustainedFleet } from './scenarios/sustained';
import { checkinRequests, floorRequests } from './scenarios/throughput';
import { interleavedThroughput, roundRatios } from './load';
import { printRolloutReport, rolloutBench } from './rollout-bench';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface BenchOptions { quick: boolean; tsx: boolean; cpuProf: boolean; keep: boolean; devices?: number; large: number; serverFlags?: string; rolloutOnly: boolean; historyOnly: boolean }

const options = new Command()
  .name('npm run bench --')
  .option('--quick', 'short durations and a smaller fleet, for smoke-testing the benchmark', false)
  .option('--tsx', 'run the server from src through tsx instead of the built out/main/cli.js', false)
  .option('--cpu-prof', 'write V8 CPU profiles of the fleet server to $TMPDIR/fleetdesk-bench-profiles/', false)
  .option('--keep', 'keep the temporary data directory', false)
  .option('--history-only', 'only the history measurements (check-in cost with/without history, storage, query times)', false)
  .option('--server-flags <flags>', 'extra node flags for the fleet server, e.g. "--trace-gc" (its output goes to $TMPDIR/fleetdesk-bench-server.log)')
  .option('--devices <n>', 'fleet size (default 10 000; 1 000 with --quick)', (v) => Number.parseInt(v, 10))
  .option('--rollout-only', 'run only the rollout measurement (fresh server, two rollouts)', false)
  .option('--large <n>', 'devices of the generated fleet the start-up is measured with', (v) => Number.parseInt(v, 10), 100_000)
  .parse(process.argv.slice(2), { from: 'user' })
  .opts<BenchOptions>();

const plan = options.quick
  ? { devices: 1_000, connections: 50, throughputRounds: 3, secondsPerRound: 1, warmupSeconds: 1, sustainedSeconds: 15, interval: 30, propagationDevices: 200, listRepetitions: 20, metricsScrapes: 5 }
  : { devices: 10_000, connections: 50, throughputRounds: 5, secondsPerRound: 2, warmupSeconds: 2, sustainedSeconds: 60, interval: 30, propagationDevices: 1_000, listRepetitions: 100, metricsScrapes: 20 };

if (options.devices) plan.devices = options.devices;

const step = (text: string) => process.stderr.write(`bench: ${text}\n`);
/** phase → [start, end] in seconds since the current server process was spawned (to read a --cpu-prof profile) */
const phases: Record<string, [number, number]> = {};
let serverSpawnedAt = 0;
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const start = (performance.now() - serverSpawnedAt) / 1000;
  const result = await run();
  phases[name] = [Number(start.toFixed(2)), Number(((performance.now() - serverSpawnedAt) / 1000).toFixed(2))];
  return result;
}
const mb = (bytes: number) => bytes / 2 ** 20;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

const startFloor = (kind: 'express' | 'http', nodeFlags: string[]) =>
  spawnServer<{ url: string }>(process.execPath, [...nodeFlags, join(root, 'bench', 'floor-server.mjs'), kind], { cwd: root });

/** History cost, storage and query times (in-process; see scenarios/history.ts). */
function measureHistory(): HistoryBenchResult {
  step(`history: check-in CPU without/with the recorder, ${plan.devices} devices; storage; 30 days of hourly history for each device; queries`);
  return historyBench(plan.devices, { days: options.quick ? 3 : 30 });
}

async function main(): Promise<void> {
  if (options.historyOnly) {
    const history = measureHistory();
    writeFileSync(join(root, 'bench', 'results-history.json'), `${JSON.stringify(history, null, 2)}\n`);
    printHistoryReport(history);
    return;
  }
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  if (!options.tsx) {
    step('building if stale…');
    await ensureBuilt(root);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetdesk-bench-'));
  // profiles go to the temp dir, never into the repository
  const profileDir = join(tmpdir(), 'fleetdesk-bench-profiles');
  const extraFlags = options.serverFlags?.split(/\s+/).filter(Boolean) ?? [];
  // the heap flags `npm run serve` / `npm start` use (scripts/heap.mjs, sized for the fleet being
  // seeded), unless the caller sets one
  const heap = (await import(pathToFileURL(join(root, 'scripts', 'heap.mjs')).href)) as {
    heapFlags(root: string, args: string[], env?: Record<string, string | undefined>): string[];
    heapMbFor(devices: number): number;
  };
  const seededHeap = heap.heapFlags(root, [], { FLEETDESK_MAX_HEAP_MB: process.env.FLEETDESK_MAX_HEAP_MB ?? String(heap.heapMbFor(plan.devices)) });
  const heapCap = extraFlags.some((f) => f.startsWith('--max-old-space-size')) ? [] : seededHeap;
  const nodeFlags = [...heapCap, ...(options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), ...extraFlags];
  const logPath = join(tmpdir(), 'fleetdesk-bench-server.log');
  rmSync(logPath, { force: true });
  if (options.cpuProf) step(`CPU profiles of the fleet server → ${profileDir} (read with: npx tsx bench/profile-summary.ts FILE 25 10 FROM_S TO_S)`);
  const fleetOptions = { root, dataDir, runner: options.tsx ? ('tsx' as const) : ('built' as const), nodeFlags, logPath };
  const rolloutPlan = { devices: options.quick ? 200 : 1_000, imageBytes: 500_000, maxConcurrent: 50, badBootRate: 0.05, timeoutSeconds: options.quick ? 120 : 600 };
  try {
    if (options.rolloutOnly) {
      const rollout = await rolloutBench(fleetOptions, rolloutPlan, step);
      writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify({ at: new Date(started).toISOString(), loadAverage: [loadAtStart, loadavg()[0]!], rollout }, null, 2)}\n`);
      printRolloutReport(rollout);
      step(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results.json`);
      return;
    }
    step('floors: express hello-world and bare node:http, in their own processes');
    // with --cpu-prof the floors are profiled too, so the comparison carries the same overhead
    const floorFlags = options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    const floors = { express: await startFloor('express', floorFlags), http: await startFloor('http', floorFlags) };

    step('fleet: first start on an empty data dir');
    let { server, admin } = await startFleetProcess(fleetOptions);
    const empty = { startMs: server.startMs, rssMB: mb(rssBytes(server.pid)) };
    await admin.request('PATCH', '/api/settings', { defaultCheckinInterval: plan.interval });

    step(`fleet: registering ${plan.devices} devices through the device protocol`);
    const seeded = await seedFleet(server.ready.deviceUrl, plan.devices);

    step(`fleet: restart holding ${plan.devices} devices`);
    const before = server.ready;
    await server.stop();
    serverSpawnedAt = performance.now();
    ({ server, admin } = await startFleetProcess(fleetOptions, before));
    const startup = { startMs: server.startMs, rssAtReadyMB: mb(rssBytes(server.pid)), rssSettledMB: 0 };
    await settle(2_000);
    startup.rssSettledMB = mb(rssBytes(server.pid));

    const measured = plan.throughputRounds * plan.secondsPerRound;
    step(`check-in throughput vs floors: ${plan.throughputRounds} interleaved rounds × ${plan.secondsPerRound} s each (${measured} s per target), ${plan.connections} connections, ${plan.devices} devices`);
    const { results: tp, roundsByTarget } = await phase('throughput', () => interleavedThroughput({
      connections: plan.connections, rounds: plan.throughputRounds, secondsPerRound: plan.secondsPerRound, warmupSeconds: plan.warmupSeconds,
      targets: [
        { name: 'express', url: floors.express.ready.url, serverPid: floors.express.pid, requests: floorRequests() },
        { name: 'http', url: floors.http.ready.url, serverPid: floors.http.pid, requests: floorRequests() },
        { name: 'fleet', url: server.ready.deviceUrl, serverPid: server.pid, requests: checkinRequests(seeded.fleet.devices) },
      ],
    }));
    await Promise.all([floors.express.stop(), floors.http.stop()]);
    const toExpress = roundRatios(roundsByTarget.fleet!, roundsByTarget.express!);
    const toHttp = roundRatios(roundsByTarget.fleet!, roundsByTarget.http!);

    await settle(3_000); // the closed-loop burst leaves garbage and a write-behind backlog: not part of the next test
    step(`fleet: sustained, ${plan.devices} devices every ${plan.interval} s for ${plan.sustainedSeconds} s`);
    // the workers' devices write nothing back to this thread's state: save it as seeded
    seeded.fleet.save();
    const sustained = await phase('sustained', () => sustainedFleet(seeded.fleet, seeded.state, server.ready.deviceUrl, server.pid, plan.sustainedSeconds, plan.interval));
    seeded.fleet.save();
    seeded.fleet.agent.destroy();

    step(`fleet: config propagation to ${plan.propagationDevices} long-polling devices`);
    const propagation = await phase('propagation', () => configPropagation(server.ready.deviceUrl, admin, seeded.state, plan.propagationDevices));

    step('fleet: admin list, first page of the whole fleet');
    const lists = await phase('adminList', async () => [
      await adminList(admin, 'status=online,late&sort=lastSeenAt&order=desc&offset=0&limit=100', plan.listRepetitions),
      await adminList(admin, 'q=be%3A00&sort=rssi&order=asc&offset=0&limit=100', plan.listRepetitions),
    ]);
    step(`fleet: GET /metrics with ${plan.devices} devices`);
    const metrics = await phase('metrics', () => metricsScrape(server.ready.adminUrl, server.ready.adminToken, plan.devices, plan.metricsScrapes));
    const finalRssMB = mb(rssBytes(server.pid));
    await server.stop();

    step(`fleet: start-up holding ${options.large} devices generated with SQL`);
    const history = measureHistory();

    const large = await largeStartup({ ...fleetOptions, dataDir: join(dataDir, 'large'), devices: options.large, extraFlags: options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [] });

    const rollout = await rolloutBench(fleetOptions, rolloutPlan, step);

    const results: BenchResults = {
      at: new Date(started).toISOString(),
      // other work on the machine skews every figure; the 1-minute load average says how much
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGB: totalmem() / 2 ** 30, node: process.version, loadAverage: [loadAtStart, loadavg()[0]!] },
      mode: options.quick ? 'quick' : 'full',
      server: fleetOptions.runner,
      plan,
      floors: { express: tp.express!, http: tp.http! },
      seed: { devices: plan.devices, seconds: seeded.seconds },
      empty,
      startup,
      throughput: tp.fleet!,
      // medians over rounds of the within-round ratios
      ratios: { toExpress: toExpress.rps, toHttp: toHttp.rps, cpuToExpress: toExpress.cpu, cpuToHttp: toHttp.cpu },
      sustained,
      propagation,
      adminList: lists,
      metrics,
      finalRssMB,
      large,
      history,
      phases,
      serverSpawnedAtS: serverSpawnedAt / 1000,
      rollout,
    };
    writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    printReport(results);
    printRolloutReport(rollout);
    step(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; results in bench/results.json`);
  } finally {
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    else step(`data dir kept: ${dataDir}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
