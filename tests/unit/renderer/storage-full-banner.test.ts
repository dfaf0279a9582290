/**
 * The UI's banner for a full disk: the client takes the core's 507 message into the connection
 * store (AppShell shows it) and clears it when a change is saved again. A real headless core on a
 * small tmpfs the test mounts (root), filled up with dd.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../../../src/renderer/src/api/client';
import { configureApi } from '../../../src/renderer/src/api/http';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { SimulatedDevice } from '../../../src/simulator/device';
import { startHeadless, type HeadlessApp } from '../../e2e/support/headless';

const mountPoint = mkdtempSync(join(tmpdir(), 'fleetdesk-banner-'));
const filler = join(mountPoint, 'filler');
let app: HeadlessApp | null = null;

beforeAll(() => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
  mkdirSync(join(mountPoint, 'data'));
});
afterAll(async () => {
  rmSync(filler, { force: true });
  await app?.stop();
  execFileSync('umount', ['--lazy', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

it('shows the disk-full message until a change is saved again', async () => {
  setActivePinia(createPinia());
  app = await startHeadless({ entry: 'source', dataDir: join(mountPoint, 'data') });
  configureApi({ baseUrl: app.adminUrl, headers: { Authorization: `Bearer ${app.adminToken}` } });
  const device = new SimulatedDevice({ server: app.deviceUrl, mac: '02:00:00:00:be:01', interval: 30 });
  await device.register();
  const connection = useConnectionStore();

  // dd stops with "No space left on device": that is the point
  spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
  let refused: unknown = null;
  for (let n = 0; n < 40 && !refused; n++) {
    await api.devices.putConfig(device.mac, { round: n, blob: `${n}-`.repeat(4000) }).catch((err: unknown) => (refused = err));
  }
  expect(refused).toMatchObject({ status: 507, code: 'storage_full' });
  expect(connection.storageFull).toMatch(/disk .*is full/i);

  rmSync(filler);
  await api.devices.patch(device.mac, { name: 'saved again' });
  expect(connection.storageFull).toBeNull();
});
