/** Malformed JSON, oversize bodies, bad ids and wrong types: always a 4xx with the error envelope. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';
import type { RawResponse } from '../../helpers/http';

function expectEnvelope(res: RawResponse, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.json?.error?.code, res.text).toBe(code);
  expect(typeof res.json.error.message).toBe('string');
  expect(res.text).not.toMatch(/at .*\.ts:\d+|node_modules|SQLITE/);
}

describe('bad input on the device listener', () => {
  let t: TestFleet;
  let token: string;
  beforeAll(async () => {
    t = await startTestFleet();
    token = await registerDevice(t, 'aa:bb:cc:00:00:77');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('malformed JSON → 400 bad_request', async () => {
    for (const body of ['{"ip": ', '{ip: 1}', 'null', '"text"', '\u0000\u0001']) {
      expectEnvelope(await t.device('/api/v1/devices/aa:bb:cc:00:00:78/register', { body, headers: { 'Content-Type': 'application/json' } }), 400, 'bad_request');
    }
    expectEnvelope(await t.device('/api/v1/devices/aa:bb:cc:00:00:77/checkin', { body: '{"cfgsn":', headers: { 'Content-Type': 'application/json', ...bearer(token) } }), 400, 'bad_request');
  });

  it('a body over 4 KiB → 413 payload_too_large', async () => {
    const body = JSON.stringify({ ssid: 'x'.repeat(5000) });
    expectEnvelope(await t.device('/api/v1/devices/aa:bb:cc:00:00:78/register', { body, headers: { 'Content-Type': 'application/json' } }), 413, 'payload_too_large');
    expectEnvelope(await t.device('/api/v1/devices/aa:bb:cc:00:00:77/checkin', { body, headers: { 'Content-Type': 'application/json', ...bearer(token) } }), 413, 'payload_too_large');
    expectEnvelope(await t.device('/api/devices/legacy-x', { body, headers: { 'Content-Type': 'application/json' } }), 413, 'payload_too_large');
  });

  it('bad ids → 400 bad_id on every call', async () => {
    const ids = ['not%20a%20mac', '..%2F..%2Fetc', 'aa:bb:cc:dd:ee:ff:00', "x'%3B--", '%C3%BCber', 'a'.repeat(80), '-leading'];
    for (const id of ids) {
      expectEnvelope(await t.device(`/api/v1/devices/${id}/register`, { body: {} }), 400, 'bad_id');
      expectEnvelope(await t.device(`/api/v1/devices/${id}/checkin`, { body: {}, headers: bearer(token) }), 400, 'bad_id');
      expectEnvelope(await t.device(`/api/v1/devices/${id}/firmware/1`, { headers: bearer(token) }), 400, 'bad_id');
      expectEnvelope(await t.device(`/api/devices/${id}`), 400, 'bad_id');
      expectEnvelope(await t.admin(`/api/devices/${id}`), 400, 'bad_id');
    }
  });

  it('wrong types → 400 with details; unknown fields are ignored', async () => {
    const res = await t.device('/api/v1/devices/aa:bb:cc:00:00:77/checkin', { body: { cfgsn: 'one', rssi: 500 }, headers: bearer(token) });
    expectEnvelope(res, 400, 'bad_request');
    expect(res.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['cfgsn', 'rssi']);
    const ok = await t.device('/api/v1/devices/aa:bb:cc:00:00:77/checkin', { body: { cfgsn: 0, whatever: { deep: [1] } }, headers: bearer(token) });
    expect(ok.status).toBe(200);
    expectEnvelope(await t.device('/api/v1/devices/aa:bb:cc:00:00:77/checkin?wait=soon', { body: {}, headers: bearer(token) }), 400, 'bad_request');
    expectEnvelope(await t.device('/api/v1/devices/aa:bb:cc:00:00:77/firmware/abc', { headers: bearer(token) }), 400, 'bad_request');
  });

  it('broken %-encoding in the path → 400, never a 500', async () => {
    expectEnvelope(await t.device('/api/v1/devices/%E0%A4%A/register', { body: {} }), 400, 'bad_request');
    expectEnvelope(await t.device('/api/devices/%ZZ'), 400, 'bad_request');
    expectEnvelope(await t.device('/api/v1/devices/aa/firmware/%', { headers: bearer(token) }), 400, 'bad_request');
    expectEnvelope(await t.admin('/api/devices/%E0%A4%A'), 400, 'bad_request');
  });

  it('unknown routes and methods → 404 not_found', async () => {
    expectEnvelope(await t.device('/'), 404, 'not_found');
    expectEnvelope(await t.device('/api/v1/devices/aa:bb:cc:00:00:77/register'), 404, 'not_found');
    expectEnvelope(await t.device('/api/v1/nothing', { body: {} }), 404, 'not_found');
  });
});

describe('bad input on the admin listener', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet();
    await registerDevice(t, 'aa:bb:cc:00:00:88');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('malformed JSON, unknown fields on strict schemas, out-of-range values → 400', async () => {
    expectEnvelope(await t.admin('/api/devices/aa:bb:cc:00:00:88', { method: 'PATCH', body: '{"name":', headers: { 'Content-Type': 'application/json' } }), 400, 'bad_request');
    expectEnvelope(await t.admin('/api/devices/aa:bb:cc:00:00:88', { method: 'PATCH', body: { nmae: 'typo' } }), 400, 'bad_request');
    expectEnvelope(await t.admin('/api/devices?limit=0'), 400, 'bad_request');
    expectEnvelope(await t.admin('/api/devices?status=online,sleeping'), 400, 'bad_request');
    expectEnvelope(await t.admin('/api/settings', { method: 'PATCH', body: { registrationPolicy: 'everyone' } }), 400, 'bad_request');
    expectEnvelope(await t.admin('/api/profiles/0'), 400, 'bad_request');
  });

  it('a "__proto__" key anywhere in a body is refused instead of silently vanishing', async () => {
    const bodies = [
      '{"overrides":{"__proto__":{"x":1}}}',
      '{"overrides":{"nested":{"a":[{"\\u005f_proto__":1}]}}}',
    ];
    for (const body of bodies) {
      const res = await t.admin('/api/devices/aa:bb:cc:00:00:88/config', { method: 'PUT', body, headers: { 'Content-Type': 'application/json' } });
      expectEnvelope(res, 400, 'bad_request');
      expect(res.json.error.message).toContain('__proto__');
    }
    const cmd = await t.admin('/api/devices/aa:bb:cc:00:00:88/commands', { body: '{"name":"x","args":{"__proto__":1}}', headers: { 'Content-Type': 'application/json' } });
    expectEnvelope(cmd, 400, 'bad_request');
    expect((await t.admin('/api/devices/aa:bb:cc:00:00:88/config')).json.overrides).toEqual({});
  });

  it('unknown things → 404; firmware over the limit → 413; wrong media type → 415', async () => {
    expectEnvelope(await t.admin('/api/devices/aa:bb:cc:00:00:99'), 404, 'not_found');
    expectEnvelope(await t.admin('/api/nothing'), 404, 'not_found');
    expectEnvelope(await t.admin('/api/profiles/999'), 404, 'not_found');
    expectEnvelope(await t.admin('/api/firmware?name=a&version=1', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1);
    expectEnvelope(await t.admin('/api/firmware?name=a&version=1', { method: 'POST', body: huge, headers: { 'Content-Type': 'application/octet-stream' } }), 413, 'payload_too_large');
  });

  it('a firmware image gone from disk is a clean 404 for the device, and the server keeps serving', async () => {
    const fw = await t.admin('/api/firmware?name=gone&version=1', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from('bytes that vanish') });
    await t.admin(`/api/firmware/${fw.json.id}/assign`, { body: { deviceIds: ['aa:bb:cc:00:00:88'] } });
    rmSync(join(t.dataDir, 'firmware'), { recursive: true, force: true });
    const token = await registerDevice(t, 'aa:bb:cc:00:00:89');
    await t.admin(`/api/firmware/${fw.json.id}/assign`, { body: { deviceIds: ['aa:bb:cc:00:00:89'] } });
    const offer = await t.device('/api/v1/devices/aa:bb:cc:00:00:89/checkin', { headers: bearer(token), body: {} });
    const res = await t.device(offer.json.firmware.url, { headers: bearer(token) });
    expectEnvelope(res, 404, 'not_found');
    expect((await t.device('/api/v1/devices/aa:bb:cc:00:00:89/checkin', { headers: bearer(token), body: {} })).status).toBe(200);
  });

  it('status filter accepts repeated and comma-separated values', async () => {
    const repeated = await t.admin('/api/devices?status=online&status=offline');
    const comma = await t.admin('/api/devices?status=online,offline');
    expect(repeated.status).toBe(200);
    expect(comma.json.total).toBe(repeated.json.total);
    expect(repeated.json.total).toBe(2);
  });
});
