/**
 * Firmware files on disk: an image whose bytes no longer match its recorded sha256 is marked,
 * never offered or served (an event and the firmware list say so), and temp files a killed upload
 * left behind are removed at start.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, makeTempDataDir, registerDevice, startTestFleet, type TestFleet } from '../helpers/fleet';

let t: TestFleet | null = null;
afterEach(async () => {
  await t?.dispose();
  t = null;
});

const MAC = 'aa:bb:cc:00:0f:01';

async function fleetWithOffer(dataDir?: string): Promise<{ t: TestFleet; token: string; fid: number; file: string }> {
  t = await startTestFleet(dataDir ? { dataDir } : {});
  const token = await registerDevice(t, MAC, { fw: { name: 'app', version: '1.0.0' } });
  const up = await t.admin('/api/firmware?name=app&version=2.0.0', {
    method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.alloc(4096, 7),
  });
  expect(up.status).toBe(201);
  const fid = up.json.id as number;
  expect((await t.admin(`/api/firmware/${fid}/assign`, { body: { deviceIds: [MAC] } })).status).toBe(200);
  return { t, token, fid, file: join(t.dataDir, 'firmware', `${up.json.sha256}.bin`) };
}

describe('firmware files on disk', () => {
  it('an image changed on disk is neither served nor offered, and is marked', async () => {
    const { t, token, fid, file } = await fleetWithOffer();
    const offered = await t.device(`/api/v1/devices/${MAC}/checkin`, { headers: bearer(token), body: {} });
    expect(offered.json.firmware?.id).toBe(fid);

    writeFileSync(file, Buffer.alloc(4096, 8)); // same size, other bytes
    const download = await t.device(offered.json.firmware.url, { headers: bearer(token) });
    expect(download.status).toBeGreaterThanOrEqual(400);
    expect(download.headers['x-md5']).toBeUndefined();

    const next = await t.device(`/api/v1/devices/${MAC}/checkin`, { headers: bearer(token), body: {} });
    expect(next.status).toBe(200);
    expect(next.json.firmware).toBeUndefined();
    const listed = (await t.admin('/api/firmware')).json.find((f: { id: number }) => f.id === fid);
    expect(listed.damaged).toMatch(/sha256/);
    const events = (await t.admin('/api/events?kind=firmware_damaged')).json;
    expect(events).toHaveLength(1);
  });

  it('an image damaged while the server was down is caught at start', async () => {
    const dataDir = makeTempDataDir();
    const first = await fleetWithOffer(dataDir);
    await first.t.stop();
    t = null;
    writeFileSync(first.file, Buffer.alloc(4096, 9));
    t = await startTestFleet({ dataDir });
    const reply = await t.device(`/api/v1/devices/${MAC}/checkin`, { headers: bearer(first.token), body: {} });
    expect(reply.json.firmware).toBeUndefined();
  });

  it('removes temp files of interrupted uploads at start', async () => {
    const dataDir = makeTempDataDir();
    t = await startTestFleet({ dataDir });
    await t.stop();
    mkdirSync(join(dataDir, 'firmware'), { recursive: true });
    const leftover = join(dataDir, 'firmware', '.upload-0123456789abcdef.tmp');
    writeFileSync(leftover, 'half an image');
    t = await startTestFleet({ dataDir });
    expect(existsSync(leftover)).toBe(false);
    expect(readdirSync(join(dataDir, 'firmware')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
