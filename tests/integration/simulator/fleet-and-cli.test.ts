/**
 * Many simulated devices and the `npm run simulate` CLI against a real fleet: identities (MACs,
 * tokens) survive a restart through the state file, and the CLI registers, keeps devices online
 * and stops cleanly on SIGINT.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceList } from '../../../src/shared/api';
import { SimulatedFleet } from '../../../src/simulator/fleet';
import { loadState, type SimulatorState } from '../../../src/simulator/state-file';
import { startTestFleet, type TestFleet } from '../../helpers/fleet';

describe('SimulatedFleet and the simulate CLI', () => {
  let t: TestFleet;
  let scratch: string;

  beforeAll(async () => {
    t = await startTestFleet();
    scratch = mkdtempSync(join(tmpdir(), 'fleetdesk-sim-test-'));
  });
  afterAll(async () => {
    await t?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const listAll = async () => (await t.admin('/api/devices?limit=1000')).json as DeviceList;

  it('keeps MACs and tokens across a restart through the state file', async () => {
    const statePath = join(scratch, 'fleet.json');
    const first = new SimulatedFleet({ server: t.deviceUrl, count: 5, state: loadState(statePath, Math.random), statePath, wait: 30 });
    const registeredNew = first.devices.map((d) => d.waitFor('registered', (e) => e.httpStatus === 201));
    first.start(0);
    await Promise.all(registeredNew);
    await expect.poll(() => first.summary().online).toBe(5);
    await first.stop();
    const saved = JSON.parse(readFileSync(statePath, 'utf8')) as SimulatorState;
    expect(saved.devices).toHaveLength(5);
    expect(saved.devices.every((d) => typeof d.token === 'string' && d.token.length > 20)).toBe(true);

    const second = new SimulatedFleet({ server: t.deviceUrl, count: 5, state: loadState(statePath, Math.random), statePath, wait: 30 });
    expect(second.devices.map((d) => d.mac)).toEqual(first.devices.map((d) => d.mac));
    const registeredAgain = second.devices.map((d) => d.waitFor('registered'));
    second.start(0);
    const statuses = (await Promise.all(registeredAgain)).map(([e]) => e);
    expect(statuses.every((e) => e.httpStatus === 200 && !e.newToken)).toBe(true);
    await second.stop();
    expect(second.devices.map((d) => d.token)).toEqual(first.devices.map((d) => d.token));
    const macs = new Set(first.devices.map((d) => d.mac));
    expect((await listAll()).items.filter((d) => macs.has(d.id))).toHaveLength(5);
  });

  it('npm run simulate: registers N devices, keeps them online, stops on SIGINT and comes back as the same devices', async () => {
    const statePath = join(scratch, 'cli.json');
    const run = async (extra: string[] = []) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/cli.ts', '--devices', '3', '--server', t.deviceUrl, '--state', statePath, '--spread', '0', ...extra], {
        cwd: join(__dirname, '..', '..', '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
      const macs = () => new Set((JSON.parse(readFileSync(statePath, 'utf8')) as SimulatorState).devices.map((d) => d.mac));
      // each of the 3 devices says it registered (verbose by default for a handful of devices)
      await expect.poll(() => output.match(/registered \(/g)?.length ?? 0, { timeout: 20_000, interval: 100 }).toBe(3);
      const wanted = macs();
      await expect.poll(async () => (await listAll()).items.filter((d) => wanted.has(d.id) && d.status === 'online').length, { timeout: 10_000 }).toBe(3);
      if (extra.includes('--profile')) await expect.poll(() => output, { timeout: 10_000 }).toMatch(/profile "[^"]+" \(#\d+\) assigned to 3 device/);
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = await exited;
      return { code, output, macs: macs() };
    };
    const first = await run(['--profile', 'thermostat', '--admin-url', t.adminUrl, '--admin-token', t.fleet.adminToken]);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/stopped: registered 3\/3 .* errors 0/);
    const inProfile = (await listAll()).items.filter((d) => first.macs.has(d.id));
    expect(inProfile.map((d) => d.profileName)).toEqual(['thermostat', 'thermostat', 'thermostat']);
    const second = await run();
    expect(second.code).toBe(0);
    expect([...second.macs]).toEqual([...first.macs]);
    expect(second.output).toMatch(/registered \(200, active\)/); // known devices, no new token
  });
});
