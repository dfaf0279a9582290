/**
 * Disk full, for real: the data directory sits on a small tmpfs the test mounts (root), and a
 * filler file takes the last byte. Changes then answer 507 with a message for the UI, check-ins
 * are still served from memory, and once space returns everything acknowledged is there after a
 * restart. (A tmpfs rather than PRAGMA max_page_count: that caps only the main database file,
 * while a full disk fails the WAL, the firmware store and the checkpoint too.)
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../helpers/fleet';

const mountPoint = mkdtempSync(join(tmpdir(), 'fleetdesk-diskfull-'));
const dataDir = join(mountPoint, 'data');
const filler = join(mountPoint, 'filler');
let t: TestFleet | null = null;

beforeAll(() => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
  mkdirSync(dataDir);
});
afterAll(async () => {
  rmSync(filler, { force: true });
  await t?.stop().catch(() => undefined);
  execFileSync('umount', ['--lazy', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** Writes the filler until the file system refuses another byte. */
function fillDisk(filler: string): void {
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    // the last bytes that still fit
    try {
      for (;;) writeSync(fd, chunk, 0, 512);
    } catch {
      // full
    }
  } finally {
    closeSync(fd);
  }
}

/** A config big enough to need fresh pages in the WAL. */
const bigConfig = (n: number) => ({ round: n, blob: `${n}-`.repeat(4000) });

describe('disk full', () => {
  it('answers 507 with a message, keeps serving devices, and loses nothing acknowledged', async () => {
    t = await startTestFleet({ dataDir });
    const ids = ['aa:bb:cc:dd:00:01', 'aa:bb:cc:dd:00:02'];
    const tokens = [];
    for (const id of ids) tokens.push(await registerDevice(t, id));
    expect((await t.admin(`/api/devices/${ids[0]}`, { method: 'PATCH', body: { name: 'kept' } })).status).toBe(200);

    fillDisk(filler);
    const acknowledged = new Map<string, unknown>();
    let refused: { status: number; json: { error: { code: string; message: string } } } | null = null;
    for (let n = 0; n < 40 && !refused; n++) {
      const id = ids[n % 2]!;
      const res = await t.admin(`/api/devices/${id}/config`, { method: 'PUT', body: { overrides: bigConfig(n) } });
      if (res.status === 200) acknowledged.set(id, bigConfig(n));
      else refused = res;
    }
    expect(refused?.status).toBe(507);
    expect(refused?.json.error.code).toBe('storage_full');
    expect(refused?.json.error.message).toMatch(/disk .*is full/i);

    // devices are still served from memory while the disk is full
    const checkin = await t.device(`/api/v1/devices/${ids[1]}/checkin`, { headers: bearer(tokens[1]!), body: { rssi: -60 } });
    expect(checkin.status).toBe(200);

    rmSync(filler);
    const after = await t.admin(`/api/devices/${ids[1]}`, { method: 'PATCH', body: { location: 'after' } });
    expect(after.status).toBe(200);
    expect((await t.admin(`/api/devices/${ids[0]}`, { method: 'PATCH', body: { notes: 'saved again' } })).status).toBe(200);

    await t.stop();
    t = await startTestFleet({ dataDir });
    expect((await t.admin(`/api/devices/${ids[0]}`)).json).toMatchObject({ name: 'kept', notes: 'saved again' });
    expect((await t.admin(`/api/devices/${ids[1]}`)).json).toMatchObject({ location: 'after' });
    for (const [id, overrides] of acknowledged) {
      expect((await t.admin(`/api/devices/${id}/config`)).json.overrides).toEqual(overrides);
    }
  });
});
