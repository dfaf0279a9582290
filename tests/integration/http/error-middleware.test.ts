/**
 * The one error middleware: FleetError and zod errors become their envelope; anything else is a bare
 * 500 envelope with nothing internal in it, logged, and the server keeps serving.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FleetError } from '../../../src/main/core/errors';
import { errorMiddleware, notFoundHandler } from '../../../src/main/core/http/errors';
import { httpRequest } from '../../helpers/http';

describe('error middleware', () => {
  let server: Server;
  let url: string;
  const logged: string[] = [];
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
    const app = express();
    app.use(express.json({ limit: 64 }));
    app.get('/boom', () => {
      throw new Error('secret detail /home/user/db.sqlite at line 42');
    });
    app.get('/async-boom', async () => {
      await Promise.resolve();
      throw new TypeError('cannot read properties of undefined');
    });
    app.get('/fleet', () => {
      throw new FleetError('conflict', 'already there', { hint: 'reset first' });
    });
    app.post('/zod', (req) => {
      z.object({ n: z.number() }).parse(req.body);
    });
    app.use(notFoundHandler);
    app.use(errorMiddleware(logger));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('turns unexpected errors into a bare 500, logged, and keeps serving', async () => {
    for (const path of ['/boom', '/async-boom']) {
      const res = await httpRequest(url, path);
      expect(res.status).toBe(500);
      expect(res.json).toEqual({ error: { code: 'internal', message: 'internal error' } });
    }
    expect(logged.join('')).toContain('secret detail');
    expect(logged.join('')).toContain('cannot read properties');
    expect((await httpRequest(url, '/fleet')).status).toBe(409);
  });

  it('keeps FleetError codes and details, zod issues as details, body-parser errors as 4xx', async () => {
    expect((await httpRequest(url, '/fleet')).json).toEqual({ error: { code: 'conflict', message: 'already there', details: { hint: 'reset first' } } });
    const zod = await httpRequest(url, '/zod', { body: { n: 'x' } });
    expect(zod.status).toBe(400);
    expect(zod.json.error).toMatchObject({ code: 'bad_request', details: [{ path: 'n' }] });
    const big = await httpRequest(url, '/zod', { body: { n: 'x'.repeat(100) } });
    expect(big.json.error.code).toBe('payload_too_large');
    const broken = await httpRequest(url, '/zod', { body: '{', headers: { 'Content-Type': 'application/json' } });
    expect(broken.json.error.code).toBe('bad_request');
    const gz = await httpRequest(url, '/zod', { body: '{}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'br-x' } });
    expect(gz.status).toBe(415);
    expect(gz.json.error.code).toBe('unsupported_media_type');
    expect((await httpRequest(url, '/nowhere')).json.error.code).toBe('not_found');
  });
});
