import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetError } from '../../../src/main/core/errors';
import { type Harness, makeHarness, registerDevice } from '../../unit/core/fixture';

let h: Harness;
let token: string;
const D = 'aa:bb:cc:00:00:01';
beforeEach(() => {
  h = makeHarness({ firmwareMaxBytes: 64 * 1024 });
  token = registerDevice(h, D, { fw: { name: 'app', version: '1.0.0' } });
});
afterEach(() => h.close());

/** A body that delivers `bytes` and breaks off (with `err`, or a bare close) when asked for more. */
const breaksOffAfter = (bytes: Buffer, err?: Error) => {
  let sent = false;
  return new Readable({
    read() {
      if (sent) this.destroy(err);
      else this.push(bytes);
      sent = true;
    },
  });
};

/** A body arriving in several chunks, like an HTTP request. */
const chunked = (bytes: Buffer, size = 1000) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));
const image = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed) & 255));
const checkin = (body: Record<string, unknown> = { cfgsn: 1 }) => h.services.protocol.checkin(D, token, body, 'x');
const fwDir = () => join(h.dir, 'firmware');

describe('firmware store', () => {
  it('streams an upload to <dataDir>/firmware/<sha256>.bin with md5 and sha256, metadata in the db', async () => {
    const bytes = image(50_000);
    const fw = await h.services.firmware.upload({ name: 'app', version: '1.1.0', notes: 'n' }, chunked(bytes), 'admin');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(fw).toMatchObject({ name: 'app', version: '1.1.0', size: 50_000, notes: 'n', sha256, md5: createHash('md5').update(bytes).digest('hex') });
    expect(readFileSync(join(fwDir(), `${sha256}.bin`)).equals(bytes)).toBe(true);
    expect(readdirSync(fwDir())).toEqual([`${sha256}.bin`]); // no temp file left
    expect(h.db.prepare('SELECT size, sha256 FROM firmware').get()).toEqual({ size: 50_000, sha256 });
    expect(h.services.firmware.list()).toHaveLength(1);
  });

  it('refuses the same image twice (name, version and MD5) with a 409 naming the stored one; a new build of that version is fine', async () => {
    const bytes = image(20_000);
    const first = await h.services.firmware.upload({ name: 'app', version: '1.2.0' }, chunked(bytes), 'admin');
    const err = await h.services.firmware.upload({ name: 'app', version: '1.2.0' }, chunked(bytes), 'admin').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FleetError);
    expect(err).toMatchObject({ code: 'conflict', status: 409, details: { existingId: first.id } });
    expect((err as Error).message).toContain(`app 1.2.0`);
    expect((err as Error).message).toContain(`#${first.id}`);
    expect(h.services.firmware.list().filter((f) => f.version === '1.2.0')).toHaveLength(1);
    expect(existsSync(join(fwDir(), `${first.sha256}.bin`))).toBe(true);
    await h.services.firmware.upload({ name: 'app', version: '1.2.0' }, chunked(image(20_000, 3)), 'admin');
  });

  it('refuses an upload over the limit with payload_too_large and leaves no file behind', async () => {
    const err = await h.services.firmware.upload({ name: 'app', version: '9' }, chunked(image(64 * 1024 + 1)), 'admin').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FleetError);
    expect((err as FleetError).status).toBe(413);
    expect(readdirSync(fwDir())).toEqual([]);
    expect(h.services.firmware.list()).toEqual([]);
    await expect(h.services.firmware.upload({ name: 'app', version: '9' }, chunked(Buffer.alloc(0)), 'admin')).rejects.toThrow(/empty/);
  });

  it('an upload that breaks off leaves no file and no row', async () => {
    const broken = breaksOffAfter(image(5000), new Error('connection reset'));
    await expect(h.services.firmware.upload({ name: 'app', version: '9' }, broken, 'admin')).rejects.toThrow();
    const closed = breaksOffAfter(image(5000));
    await expect(h.services.firmware.upload({ name: 'app', version: '9' }, closed, 'admin')).rejects.toThrow(/interrupted/);
    expect(readdirSync(fwDir())).toEqual([]);
    expect(h.services.firmware.list()).toEqual([]);
  });

  it('offers an assigned image whose version differs, serves it, and records the update', async () => {
    const fw = await h.services.firmware.upload({ name: 'app', version: '1.1.0' }, chunked(image(3000)), 'admin');
    expect(checkin().firmware).toBeUndefined();
    const waiting = h.services.protocol.waitForChange(D, 10_000, new AbortController().signal);
    expect(h.services.firmware.assign(fw.id, { deviceIds: [D] }, 'admin')).toEqual({ affected: 1, skippedLegacy: [] });
    await waiting; // assignment wakes the long-poll
    expect(checkin().firmware).toEqual({ id: fw.id, version: '1.1.0', url: `/api/v1/devices/${D}/firmware/${fw.id}`, size: 3000, md5: fw.md5 });
    expect(h.services.devices.get(D).firmwareUpdate.state).toBe('offered');
    const served = h.services.protocol.firmwareFor(D, token, fw.id);
    expect(readFileSync(served.path).equals(image(3000))).toBe(true);
    expect(served).toMatchObject({ size: 3000, md5: fw.md5, sha256: fw.sha256, version: '1.1.0' });
    expect(() => h.services.protocol.firmwareFor(D, token, fw.id + 1)).toThrow(/not offered/);
    expect(h.services.devices.get(D).firmwareUpdate.state).toBe('downloading');

    expect(checkin({ cfgsn: 1, fw: { version: '1.1.0' } }).firmware).toBeUndefined();
    expect(h.services.devices.get(D)).toMatchObject({ fwVersion: '1.1.0', firmwareUpdate: { state: 'updated' } });
    const kinds = h.services.events.list({ limit: 50 }).map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith('firmware_'))).toEqual(['firmware_updated', 'firmware_offered', 'firmware_assigned', 'firmware_uploaded']);
  });

  it('a reported failure is recorded and stops the offer until the operator assigns again', async () => {
    const fw = await h.services.firmware.upload({ name: 'app', version: '2.0.0' }, chunked(image(100)), 'admin');
    h.services.firmware.assign(fw.id, { deviceIds: [D] }, 'admin');
    expect(checkin().firmware?.id).toBe(fw.id);
    expect(checkin({ cfgsn: 1, ota: { id: fw.id, ok: false, message: 'md5 mismatch' } }).firmware).toBeUndefined();
    expect(h.services.devices.get(D).firmwareUpdate).toMatchObject({ state: 'failed', message: 'md5 mismatch' });
    expect(h.services.events.list({ limit: 5, kind: 'firmware_failed' })).toHaveLength(1);
    h.services.firmware.assign(fw.id, { deviceIds: [D] }, 'admin');
    expect(checkin().firmware?.id).toBe(fw.id);
  });

  it('device assignment wins over the profile; null unassigns; deleting removes file and offer', async () => {
    const a = await h.services.firmware.upload({ name: 'app', version: '3.0.0' }, chunked(image(100, 3)), 'admin');
    const b = await h.services.firmware.upload({ name: 'app', version: '4.0.0' }, chunked(image(100, 5)), 'admin');
    const p = h.services.profiles.create({ name: 'p', description: '', defaults: {} }, 'admin');
    h.services.devices.patch(D, { profileId: p.id }, 'admin');
    expect(h.services.firmware.assign(a.id, { profileId: p.id }, 'admin')).toEqual({ affected: 1, skippedLegacy: [] });
    expect(checkin().firmware?.id).toBe(a.id);
    h.services.firmware.assign(b.id, { deviceIds: [D] }, 'admin');
    expect(checkin().firmware?.id).toBe(b.id);
    h.services.firmware.assign(null, { deviceIds: [D] }, 'admin');
    expect(checkin().firmware?.id).toBe(a.id);
    expect(h.services.profiles.get(p.id).firmwareId).toBe(a.id);
    h.services.firmware.remove(a.id, 'admin');
    expect(checkin().firmware).toBeUndefined();
    expect(existsSync(join(fwDir(), `${a.sha256}.bin`))).toBe(false);
    expect(existsSync(join(fwDir(), `${b.sha256}.bin`))).toBe(true);
    expect(h.services.profiles.get(p.id).firmwareId).toBeNull();
    expect(() => h.services.firmware.assign(a.id, { deviceIds: [D] }, 'admin')).toThrow(/no firmware/);
  });

  it('the same bytes uploaded twice share the file until the last metadata row goes', async () => {
    const one = await h.services.firmware.upload({ name: 'app', version: '5' }, chunked(image(10)), 'admin');
    const two = await h.services.firmware.upload({ name: 'app', version: '5b' }, chunked(image(10)), 'admin');
    h.services.firmware.remove(one.id, 'admin');
    expect(existsSync(join(fwDir(), `${two.sha256}.bin`))).toBe(true);
    h.services.firmware.remove(two.id, 'admin');
    expect(existsSync(join(fwDir(), `${two.sha256}.bin`))).toBe(false);
  });
});
