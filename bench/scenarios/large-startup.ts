/**
 * Start-up holding a large fleet: the database is generated with SQL (100 000 devices by default),
 * and the server starts with the heap flags the start script derives from that fleet.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFleetDatabase, macOfIndex, tokenOfIndex } from '../../tests/helpers/generated-fleet';
import { startFleetProcess, type FleetProcessOptions } from '../fleet-process';
import { rssBytes } from '../proc-stats';

export interface LargeStartupResult {
  devices: number;
  heapFlags: string[];
  startMs: number;
  rssAtReadyMB: number;
  rssSettledMB: number;
  /** a check-in of a generated device answered after the start */
  servedStatus: number;
}

export async function largeStartup(options: Omit<FleetProcessOptions, 'dataDir' | 'nodeFlags'> & { dataDir: string; devices: number; extraFlags: string[] }): Promise<LargeStartupResult> {
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  generateFleetDatabase(options.dataDir, options.devices);
  const { heapFlags } = (await import(pathToFileURL(join(options.root, 'scripts', 'heap.mjs')).href)) as {
    heapFlags: (root: string, args: string[]) => string[];
  };
  const flags = heapFlags(options.root, ['--data-dir', options.dataDir]);
  const { server } = await startFleetProcess({ ...options, nodeFlags: [...flags, ...options.extraFlags] });
  try {
    const rssAtReadyMB = rssBytes(server.pid) / 2 ** 20;
    const n = Math.floor(options.devices / 2);
    const res = await fetch(`${server.ready.deviceUrl}/api/v1/devices/${macOfIndex(n)}/checkin`, {
      method: 'POST', headers: { Authorization: `Bearer ${tokenOfIndex(n)}`, 'Content-Type': 'application/json' }, body: '{"cfgsn":1}',
    });
    await new Promise((r) => setTimeout(r, 2_000)); // let the start-up garbage go
    return { devices: options.devices, heapFlags: flags, startMs: server.startMs, rssAtReadyMB, rssSettledMB: rssBytes(server.pid) / 2 ** 20, servedStatus: res.status };
  } finally {
    await server.stop();
  }
}
