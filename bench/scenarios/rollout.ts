/**
 * A rollout of a 500 kB image to N simulated devices (long-polling, each from its own loopback
 * address), with a share of them crashing on the new image: time to complete, the most devices
 * holding a download slot at once, server RSS and CPU while images are served, and the pause at the
 * canary gate — the benchmark then does what an operator would: excludes the rolled-back devices
 * and resumes.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { RolloutDetail } from '../../src/shared/api';
import type { AdminClient } from '../../src/simulator/admin-client';
import { SimulatedFleet } from '../../src/simulator/fleet';
import { seededRandom } from '../../src/simulator/telemetry';
import { cpuSeconds, sampleRss } from '../proc-stats';

export interface RolloutBenchResult {
  devices: number;
  imageBytes: number;
  bootFailureRate: number;
  maxConcurrent: number;
  completed: boolean;
  seconds: number;
  peakConcurrentDownloads: number;
  updated: number;
  rolledBack: number;
  failed: number;
  /** seconds from the start until the rollout paused itself, and in which phase; null = never paused */
  pausedAfterSeconds: number | null;
  pausedPhase: number | null;
  pausedReason: string | null;
  serverRssPeakMB: number;
  serverRssBeforeMB: number;
  serverCpuPercent: number;
}

function upload(adminUrl: string, token: string, name: string, version: string, image: Buffer): Promise<{ id: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`/api/firmware?name=${name}&version=${version}`, adminUrl);
    const req = http.request(url, { method: 'POST', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(image.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number }) : reject(new Error(`upload: ${res.statusCode} ${Buffer.concat(chunks).toString('utf8')}`))));
    });
    req.on('error', reject);
    req.end(image);
  });
}

export async function rolloutRun(args: {
  deviceUrl: string; adminUrl: string; adminToken: string; admin: AdminClient; serverPid: number;
  devices: number; bootFailureRate: number; macPrefix: number; imageBytes: number; maxConcurrent: number; timeoutSeconds: number;
}): Promise<RolloutBenchResult> {
  const fleet = new SimulatedFleet({
    server: args.deviceUrl, count: args.devices, state: { version: 1, macPrefix: args.macPrefix, devices: [] },
    interval: 20, wait: 20, random: seededRandom(args.macPrefix), fwName: `bench-${args.macPrefix}`, bootFailureRate: args.bootFailureRate,
  });
  fleet.start(2);
  try {
    // every device registered and checked in (bounded: a loaded machine may leave a few behind)
    const onlineBy = performance.now() + 120_000;
    while (fleet.summary().online < args.devices && performance.now() < onlineBy) await new Promise((r) => setTimeout(r, 200));
    const fw = await upload(args.adminUrl, args.adminToken, `bench-${args.macPrefix}`, '2.0.0', randomBytes(args.imageBytes));
    const rssBefore = sampleRss(args.serverPid, 10_000).stop().last;
    const rss = sampleRss(args.serverPid, 200);
    const cpuStart = cpuSeconds(args.serverPid);
    const started = performance.now();
    const created = await args.admin.request<RolloutDetail>('POST', '/api/rollouts', {
      firmwareId: fw.id, target: { outdated: true }, phases: [{ size: 25 }, { percent: 25 }], maxConcurrent: args.maxConcurrent,
      gate: { confirmWithinSec: 300, observeSec: 2 },
    });
    let detail = created;
    let peak = 0;
    let pausedAfterSeconds: number | null = null;
    let pausedPhase: number | null = null;
    let pausedReason: string | null = null;
    const deadline = started + args.timeoutSeconds * 1000;
    while (performance.now() < deadline) {
      try {
        detail = await args.admin.request<RolloutDetail>('GET', `/api/rollouts/${created.id}`);
      } catch {
        // a keep-alive socket the server closed under a loaded machine: ask again
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      peak = Math.max(peak, detail.peakDownloading);
      if (detail.state === 'done' || detail.state === 'aborted') break;
      if (detail.state === 'paused') {
        if (pausedAfterSeconds === null) {
          pausedAfterSeconds = (performance.now() - started) / 1000;
          pausedPhase = detail.currentPhase;
          pausedReason = detail.pausedReason;
        }
        // the operator's answer: take the rolled-back devices out, carry on
        const bad = detail.phases.flatMap((p) => p.devices).filter((d) => d.state === 'rolled_back' || d.state === 'failed').map((d) => d.mac);
        if (bad.length > 0) await args.admin.request('POST', `/api/rollouts/${created.id}/exclude`, { devices: bad });
        await args.admin.request('POST', `/api/rollouts/${created.id}/resume`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(args.serverPid) - cpuStart;
    const { peak: rssPeak } = rss.stop();
    const all = detail.phases.flatMap((p) => p.devices);
    const excludedAfterFailure = all.filter((d) => d.reason === 'excluded' && /rolled back|failed/.test(d.message ?? '')).length;
    return {
      devices: args.devices, imageBytes: args.imageBytes, bootFailureRate: args.bootFailureRate, maxConcurrent: args.maxConcurrent,
      completed: detail.state === 'done', seconds, peakConcurrentDownloads: peak,
      updated: detail.counts.updated, rolledBack: detail.counts.rolled_back + excludedAfterFailure, failed: detail.counts.failed,
      pausedAfterSeconds, pausedPhase, pausedReason,
      serverRssPeakMB: rssPeak / 2 ** 20, serverRssBeforeMB: rssBefore / 2 ** 20, serverCpuPercent: (cpu / seconds) * 100,
    };
  } finally {
    await fleet.stop();
  }
}
