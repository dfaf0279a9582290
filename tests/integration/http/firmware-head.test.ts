/**
 * HEAD on the device firmware download: the same status and headers as GET (size, MD5 in both
 * spellings, no caching), no body, and the same token and offer checks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

const ID = 'aa:bb:cc:5e:88:01';
const OTHER = 'aa:bb:cc:5e:88:02';

describe('HEAD /api/v1/devices/{mac}/firmware/{id}', () => {
  let t: TestFleet;
  let token: string;
  let otherToken: string;
  let url: string;
  const image = randomBytes(12_345);
  const md5 = createHash('md5').update(image).digest('hex');

  beforeAll(async () => {
    t = await startTestFleet();
    token = await registerDevice(t, ID);
    otherToken = await registerDevice(t, OTHER);
    const upload = await t.admin('/api/firmware?name=app&version=3.0.0', {
      method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: image,
    });
    expect(upload.status).toBe(201);
    await t.admin(`/api/firmware/${upload.json.id}/assign`, { body: { deviceIds: [ID] } });
    url = `/api/v1/devices/${ID}/firmware/${upload.json.id}`;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('answers with the headers of the download and no body', async () => {
    const head = await t.device(url, { method: 'HEAD', headers: bearer(token) });
    const get = await t.device(url, { headers: bearer(token) });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(String(image.length));
    expect(head.headers['content-type']).toBe('application/octet-stream');
    expect(head.headers['cache-control']).toBe('no-store');
    expect(head.headers['x-md5']).toBe(md5);
    expect(head.headers['content-md5']).toBe(Buffer.from(md5, 'hex').toString('base64'));
    for (const name of ['content-length', 'content-type', 'cache-control', 'x-md5', 'content-md5']) {
      expect(head.headers[name], name).toBe(get.headers[name]);
    }
    expect(get.body.equals(image)).toBe(true);
  });

  it('needs the device token and an image offered to that device', async () => {
    for (const headers of [{}, bearer(`${token}x`), bearer(otherToken)]) {
      const res = await t.device(url, { method: 'HEAD', headers });
      expect(res.status).toBe(401);
      expect(res.body.length).toBe(0);
      expect(res.headers['x-md5']).toBeUndefined();
    }
    const notOffered = await t.device(`/api/v1/devices/${OTHER}/firmware/${url.split('/').pop()}`, { method: 'HEAD', headers: bearer(otherToken) });
    expect(notOffered.status).toBe(404);
    const unknown = await t.device(`/api/v1/devices/${ID}/firmware/99999`, { method: 'HEAD', headers: bearer(token) });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-length']).not.toBe(String(image.length));
  });
});
