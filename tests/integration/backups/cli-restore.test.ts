/**
 * `npm run serve -- --restore FILE` on a data dir whose database is destroyed: the fleet starts on
 * the backup, with its server id, its devices' tokens accepted, and the wreck kept as a backup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ORIGINAL_CREATE_TABLE } from '../../fixtures/original-server';
import { bearer, makeTempDataDir, registerDevice, startTestFleet } from '../../helpers/fleet';
import { httpRequest } from '../../helpers/http';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAC = 'cc:00:00:00:00:01';
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

function serve(args: string[]): Promise<{ child: ChildProcess; ready: Record<string, string> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.push(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, ready: JSON.parse(line) as Record<string, string> }));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

describe('serve --restore', () => {
  it('starts a machine whose database is destroyed from a backup file', async () => {
    const spare = makeTempDataDir('fleetdesk-spare-');
    cleanup.push(() => rmSync(spare, { recursive: true, force: true }));
    const t = await startTestFleet();
    cleanup.push(() => rmSync(t.dataDir, { recursive: true, force: true }));
    const token = await registerDevice(t, MAC);
    await t.admin(`/api/devices/${MAC}`, { method: 'PATCH', body: { name: 'Pump' } });
    const serverId = t.fleet.serverId;
    const backup = (await t.admin('/api/backups', { method: 'POST' })).json;
    const file = join(spare, 'backup.tar.gz');
    copyFileSync(backup.file, file);
    await t.stop();
    writeFileSync(join(t.dataDir, 'fleetdesk.db'), Buffer.alloc(8192, 0x5a)); // not a database any more
    rmSync(join(t.dataDir, 'fleetdesk.db-wal'), { force: true });

    const { child, ready } = await serve([
      '--data-dir', t.dataDir, '--restore', file, '--device-port', '0', '--admin-port', '0', '--bind', '127.0.0.1', '--no-mdns', '--json',
    ]);
    const admin = (path: string) => httpRequest(ready.adminUrl!, path, { headers: { Authorization: `Bearer ${ready.adminToken}` } });
    expect((await admin('/api/server')).json.serverId).toBe(serverId);
    expect((await admin(`/api/devices/${MAC}`)).json.name).toBe('Pump');
    const checkin = await httpRequest(ready.deviceUrl!, `/api/v1/devices/${MAC}/checkin`, { headers: bearer(token), body: {} });
    expect(checkin.status).toBe(200);
    const kept = readdirSync(join(t.dataDir, 'backups')).filter((n) => n.includes('pre-restore'));
    expect(kept).toHaveLength(1);
    child.kill('SIGTERM');
  });

  it('refuses a file that is not a backup and leaves the data dir alone', async () => {
    const dir = makeTempDataDir('fleetdesk-bad-restore-');
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const bogus = join(dir, 'bogus.tar.gz');
    writeFileSync(bogus, 'hello');
    await expect(serve(['--data-dir', join(dir, 'data'), '--restore', bogus, '--device-port', '0', '--admin-port', '0', '--no-mdns', '--json']))
      .rejects.toThrow(/exited with 2: .*restore failed: not a readable backup file/s);
    expect(existsSync(join(dir, 'data', 'fleetdesk.db'))).toBe(false);
  });

  it('--import-seed brings the original restDB.sqlite in at start', async () => {
    const dir = makeTempDataDir('fleetdesk-cli-seed-');
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'restDB.sqlite');
    const db = new Database(file);
    db.exec(ORIGINAL_CREATE_TABLE);
    db.exec("INSERT INTO devices VALUES ('a4cf12e0ff01', 'Porch ''light''', 'Tue Mar 05 2019 14:03:11 GMT+0100 (CET)', 'home', '10.0.0.9', 7, 0, '{}', '1551790000000')");
    db.close();
    const { child, ready } = await serve(['--data-dir', join(dir, 'data'), '--import-seed', file, '--device-port', '0', '--admin-port', '0', '--bind', '127.0.0.1', '--no-mdns', '--json']);
    const device = await httpRequest(ready.adminUrl!, '/api/devices/a4:cf:12:e0:ff:01', { headers: { Authorization: `Bearer ${ready.adminToken}` } });
    expect(device.json).toMatchObject({ name: "Porch 'light'", cfgsn: 7, protocol: 'legacy' });
    child.kill('SIGTERM');
  });
});
