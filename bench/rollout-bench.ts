/**
 * The rollout part of `npm run bench`: a fresh server process, then the same rollout twice — no bad
 * boots, and a share of devices whose new image crashes at boot — each with its own simulated fleet.
 */
import Table from 'cli-table3';
import { join } from 'node:path';
import { type FleetProcessOptions, startFleetProcess } from './fleet-process';
import { type RolloutBenchResult, rolloutRun } from './scenarios/rollout';
import { round } from './stats';

export interface RolloutBenchPlan { devices: number; imageBytes: number; maxConcurrent: number; badBootRate: number; timeoutSeconds: number }

export async function rolloutBench(fleetOptions: FleetProcessOptions, plan: RolloutBenchPlan, step: (text: string) => void): Promise<RolloutBenchResult[]> {
  const { server, admin } = await startFleetProcess({ ...fleetOptions, dataDir: join(fleetOptions.dataDir, 'rollout') });
  try {
    const results: RolloutBenchResult[] = [];
    for (const [i, rate] of [0, plan.badBootRate].entries()) {
      step(`rollout: ${Math.round(plan.imageBytes / 1000)} kB image to ${plan.devices} simulated devices, ${rate * 100} % bad boots, at most ${plan.maxConcurrent} downloading`);
      results.push(await rolloutRun({
        deviceUrl: server.ready.deviceUrl, adminUrl: server.ready.adminUrl, adminToken: server.ready.adminToken, admin, serverPid: server.pid,
        devices: plan.devices, bootFailureRate: rate, macPrefix: 0xc0 + i, imageBytes: plan.imageBytes, maxConcurrent: plan.maxConcurrent, timeoutSeconds: plan.timeoutSeconds,
      }));
    }
    return results;
  } finally {
    await server.stop();
  }
}

export function printRolloutReport(results: RolloutBenchResult[]): void {
  const table = new Table({ head: ['rollout', 'result'], wordWrap: true, colWidths: [40, 90] });
  for (const r of results) {
    const pause = r.pausedAfterSeconds === null
      ? 'never paused'
      : `paused itself after ${round(r.pausedAfterSeconds, 1)} s in phase ${(r.pausedPhase ?? 0) + 1} (${r.pausedReason}); the bench excluded the rolled-back devices and resumed`;
    table.push([
      `${r.devices} devices, ${Math.round(r.imageBytes / 1000)} kB, ${r.bootFailureRate * 100} % bad boots, K = ${r.maxConcurrent}`,
      `${r.completed ? 'done' : 'NOT DONE'} in ${round(r.seconds, 1)} s · updated ${r.updated} · rolled back ${r.rolledBack} · failed ${r.failed}\npeak concurrent downloads ${r.peakConcurrentDownloads}\nserver RSS ${round(r.serverRssBeforeMB)} MB before → peak ${round(r.serverRssPeakMB)} MB · server CPU ${round(r.serverCpuPercent)} % while serving\n${pause}`,
    ]);
  }
  process.stdout.write(`${table.toString()}\n`);
}
