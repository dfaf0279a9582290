/**
 * Device request bodies (docs/protocol.md §2): the lean reader of the device listener takes the
 * common case (small UTF-8 body with a Content-Length) and hands everything else to body-parser;
 * both must answer alike — JSON whatever the Content-Type, 4 KiB cap, error envelope on rejection.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';
import type { RawResponse } from '../../helpers/http';

const ID = 'aa:bb:cc:00:00:61';

/** A POST with Transfer-Encoding: chunked (no Content-Length), which the test helper never sends. */
function postChunked(baseUrl: string, path: string, headers: Record<string, string>, parts: Buffer[]): Promise<Pick<RawResponse, 'status' | 'json'>> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    for (const part of parts) req.write(part);
    req.end();
  });
}

function expectEnvelope(res: Pick<RawResponse, 'status' | 'json'>, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.json?.error?.code).toBe(code);
}

describe('device request bodies', () => {
  let t: TestFleet;
  let token: string;
  const checkin = (body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
    t.device(`/api/v1/devices/${ID}/checkin`, { body, headers: { ...bearer(token), ...headers } });

  beforeAll(async () => {
    t = await startTestFleet();
    token = await registerDevice(t, ID);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('reads JSON whatever the Content-Type, an empty body as {}, and ignores a UTF-8 BOM', async () => {
    for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=UTF-8']) {
      const res = await checkin('{"cfgsn":0,"rssi":-50}', { 'Content-Type': type });
      expect(res.status, type).toBe(200);
      expect(res.json.config, type).toEqual({}); // cfgsn 0 was read: the device is behind
    }
    expect((await checkin('')).status).toBe(200);
    expect((await checkin('\uFEFF{"cfgsn":0}', { 'Content-Type': 'application/json' })).json.config).toEqual({});
    const listed = await t.admin(`/api/devices/${ID}`);
    expect(listed.json.rssi).toBe(-50);
  });

  it('hands chunked, compressed and UTF-16 bodies to body-parser, which reads them too', async () => {
    const body = Buffer.from('{"cfgsn":0,"rssi":-51}');
    const chunked = await postChunked(t.deviceUrl, `/api/v1/devices/${ID}/checkin`, { ...bearer(token), 'Content-Type': 'application/json' }, [body.subarray(0, 5), body.subarray(5)]);
    expect(chunked.status).toBe(200);
    expect(chunked.json.config).toEqual({});
    const gzipped = await checkin(gzipSync(body), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    const utf16 = await checkin(Buffer.from('{"cfgsn":0,"ssid":"atelier é"}', 'utf16le'), { 'Content-Type': 'application/json; charset=utf-16le' });
    expect(utf16.status).toBe(200);
    expect((await t.admin(`/api/devices/${ID}`)).json.ssid).toBe('atelier é');
  });

  it('refuses what is not a JSON object or array, with the parser message as details', async () => {
    for (const text of ['null', '42', '"text"', 'true', '{"cfgsn":', '   ']) {
      const res = await checkin(text, { 'Content-Type': 'application/json' });
      expectEnvelope(res, 400, 'bad_request');
      expect(typeof res.json.error.details, text).toBe('string');
    }
  });

  it('caps bodies at 4 KiB on both paths, and refuses charsets and encodings it cannot read', async () => {
    const big = Buffer.from(JSON.stringify({ ssid: 'x'.repeat(5000) }));
    expectEnvelope(await checkin(big, { 'Content-Type': 'application/json' }), 413, 'payload_too_large');
    const chunkedBig = await postChunked(t.deviceUrl, `/api/v1/devices/${ID}/checkin`, { ...bearer(token) }, [big.subarray(0, 3000), big.subarray(3000)]);
    expectEnvelope(chunkedBig, 413, 'payload_too_large');
    expectEnvelope(await checkin('{"cfgsn":0}', { 'Content-Type': 'application/json; charset=latin1' }), 415, 'unsupported_media_type');
    expectEnvelope(await checkin('{"cfgsn":0}', { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }), 415, 'unsupported_media_type');
    // exactly at the limit is fine
    const atLimit = JSON.stringify({ cfgsn: 1, pad: '' });
    const padded = JSON.stringify({ cfgsn: 1, pad: 'p'.repeat(4096 - atLimit.length) });
    expect(Buffer.byteLength(padded)).toBe(4096);
    expect((await checkin(padded, { 'Content-Type': 'application/json' })).status).toBe(200);
  });

  it('a client that goes away mid-body leaves the server serving', async () => {
    const url = new URL(t.deviceUrl);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        // half a body handed to the network, then gone
        socket.write(`POST /api/v1/devices/${ID}/checkin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 100\r\n\r\n{"cfgsn":`, () => socket.destroy());
      });
      socket.on('close', () => resolve());
    });
    expect((await checkin('{"cfgsn":0}')).status).toBe(200);
  });

  it('a legacy registration reads its body through the same reader', async () => {
    const res = await t.device('/api/devices/legacy-body-1', { body: '{"ipaddr":"192.0.2.7","ssid":"lab"}', headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(res.json.ipaddr).toBe('192.0.2.7');
  });
});
