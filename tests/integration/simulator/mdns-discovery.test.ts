/**
 * `npm run simulate` without --server finds the app by mDNS, like a real device: the headless
 * app runs in network namespace A, the simulator in namespace B, joined by a veth pair.
 * Nothing here sends mDNS on the machine's own interfaces (see tests/mdns/README.md).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SimulatorState } from '../../../src/simulator/state-file';
import { TwoHosts } from '../../mdns/netns';
import { NODE_TS } from '../../mdns/processes';

const ROOT = path.join(import.meta.dirname, '..', '..', '..');
const ADMIN_TOKEN = 'simulator-mdns-test-token-0123456789';

/** Collects a child's output and resolves when a pattern shows up. */
function watch(child: import('node:child_process').ChildProcess) {
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  return {
    get output() {
      return output;
    },
    async until(pattern: RegExp, count = 1, timeoutMs = 30_000): Promise<void> {
      await vi.waitFor(() => {
        if ((output.match(new RegExp(pattern.source, 'g'))?.length ?? 0) < count) {
          throw new Error(`not seen ${count}× ${pattern} within ${timeoutMs} ms; output:\n${output.slice(-3000)}`);
        }
      }, { timeout: timeoutMs, interval: 100 });
    },
  };
}

describe('simulator discovery by mDNS (network namespaces)', () => {
  const hosts = new TwoHosts();
  let scratch: string;

  beforeAll(() => {
    hosts.create();
    scratch = mkdtempSync(path.join(tmpdir(), 'fleetdesk-sim-mdns-'));
  });
  afterAll(() => {
    hosts.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * The app runs with mDNS off and the advertisement comes from the discovery module's own fixture
   * (tests/mdns/fixtures/advertise.ts, the same code the app runs): that way a decoy server with
   * another id can be advertised next to it, and the simulator must pick the one it knows.
   */
  it('finds the app, prefers the server id from its state file over a decoy, and registers', async () => {
    const app = watch(hosts.spawn(hosts.nsA, [
      ...NODE_TS, path.join(ROOT, 'src/main/cli.ts'), '--data-dir', path.join(scratch, 'data'),
      '--device-port', '3000', '--admin-port', '3001', '--admin-token', ADMIN_TOKEN, '--no-mdns', '--json',
    ]));
    await app.until(/"event":"ready"/, 1, 60_000);
    const { serverId } = JSON.parse(hosts.exec(hosts.nsA, [
      process.execPath, '-e',
      `fetch('http://127.0.0.1:3001/api/server',{headers:{authorization:'Bearer ${ADMIN_TOKEN}'}}).then(r=>r.text()).then(t=>process.stdout.write(t))`,
    ])) as { serverId: string };

    const advertise = (port: number, id: string, name: string) => watch(hosts.spawn(hosts.nsA, [
      ...NODE_TS, path.join(ROOT, 'tests/mdns/fixtures/advertise.ts'), '--port', String(port), '--id', id, '--name', name, '--hostname', name.toLowerCase(),
    ]));
    const decoy = advertise(3999, 'decoy-server-id', 'Decoy');
    const real = advertise(3000, serverId, 'Real');
    await Promise.all([decoy.until(/"state":"advertising"/, 1, 20_000), real.until(/"state":"advertising"/, 1, 20_000)]);

    const statePath = path.join(scratch, 'sim.json');
    writeFileSync(statePath, JSON.stringify({ version: 1, macPrefix: 0x42, serverId, devices: [] } satisfies SimulatorState));
    const simulator = watch(hosts.spawn(hosts.nsB, [...NODE_TS, path.join(ROOT, 'src/simulator/cli.ts'), '--devices', '2', '--state', statePath, '--spread', '0']));
    try {
      await simulator.until(/registered \(201, active/, 2);
    } catch (error) {
      throw new Error(`${(error as Error).message}\napp output:\n${app.output.slice(-2000)}`);
    }
    expect(simulator.output).toContain(`Found "Real" at http://${hosts.links[0]!.ipA}:3000`);
    await expect.poll(() => (JSON.parse(readFileSync(statePath, 'utf8')) as SimulatorState).devices.filter((d) => d.token).length, { timeout: 10_000 }).toBe(2);
  }, 120_000);
});
