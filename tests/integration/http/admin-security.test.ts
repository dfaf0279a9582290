/** The admin listener's gates: session/bearer, Host (DNS rebinding), Origin (CSRF), headers, UI. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDataDir, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';
import { httpRequest } from '../../helpers/http';

describe('admin listener security', () => {
  let t: TestFleet;
  let port: number;
  beforeAll(async () => {
    const rendererDir = join(makeTempDataDir('fleetdesk-ui-'), 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>FleetDesk UI</title><div id="app"></div>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("ui")');
    t = await startTestFleet({ rendererDir });
    port = Number(new URL(t.adminUrl).port);
    await registerDevice(t, 'aa:bb:cc:00:00:01');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const raw = (path: string, init: Parameters<typeof httpRequest>[2] = {}) => httpRequest(t.adminUrl, path, init);

  it('is bound to loopback only', () => {
    expect(t.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses requests without a session or with a wrong bearer token', async () => {
    for (const path of ['/api/devices', '/api/settings', '/', '/devices/aa', '/assets/app.js', '/api/events/stream']) {
      const res = await raw(path, { headers: { Accept: 'application/json' } });
      expect(res.status, path).toBe(401);
      expect(res.json.error.code).toBe('unauthorized');
    }
    const wrong = await raw('/api/devices', { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const forged = await raw('/api/devices', { headers: { Cookie: 'fd_session=forged' } });
    expect(forged.status).toBe(401);
    const mutate = await raw('/api/devices/aa:bb:cc:00:00:01', { method: 'PATCH', body: { name: 'hijacked' } });
    expect(mutate.status).toBe(401);
    expect((await t.admin('/api/devices/aa:bb:cc:00:00:01')).json.name).not.toBe('hijacked');
  });

  it('accepts the bearer token for scripts', async () => {
    const res = await t.admin('/api/devices');
    expect(res.status).toBe(200);
    expect(res.json.total).toBe(1);
  });

  it('exchanges a one-time login URL for an HttpOnly SameSite=Strict session cookie', async () => {
    const login = new URL(t.fleet.createLoginUrl());
    expect(login.origin).toBe(t.adminUrl);
    const first = await raw(login.pathname + login.search);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^fd_session=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = setCookie.split(';')[0]!;

    const api = await raw('/api/devices', { headers: { Cookie: cookie } });
    expect(api.status).toBe(200);
    const page = await raw('/', { headers: { Cookie: cookie, Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('FleetDesk UI');
    const deepLink = await raw('/devices/aa:bb:cc:00:00:01', { headers: { Cookie: cookie, Accept: 'text/html' } });
    expect(deepLink.text).toContain('FleetDesk UI');
    const asset = await raw('/assets/app.js', { headers: { Cookie: cookie } });
    expect(asset.text).toContain('console.log');
    const missingAsset = await raw('/assets/missing.js', { headers: { Cookie: cookie } });
    expect(missingAsset.status).toBe(404);

    const reused = await raw(login.pathname + login.search);
    expect(reused.status).toBe(401);
    expect(reused.json.error.code).toBe('unauthorized');
    expect(reused.headers['set-cookie']).toBeUndefined();
    const reusedInBrowser = await raw(login.pathname + login.search, { headers: { Accept: 'text/html' } });
    expect(reusedInBrowser.status).toBe(401);
    expect(reusedInBrowser.text).toContain('login link');
    const reusedSignedIn = await raw(login.pathname + login.search, { headers: { Cookie: cookie } });
    expect(reusedSignedIn.status).toBe(302);
    expect(reusedSignedIn.headers['set-cookie']).toBeUndefined();
    const bogus = await raw('/login?token=bogus');
    expect(bogus.status).toBe(401);
  });

  it('accepts a session made for Electron', async () => {
    const session = t.fleet.createSession();
    const res = await raw('/api/settings', { headers: { Cookie: `${session.name}=${session.value}` } });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Host header even with valid credentials (DNS rebinding)', async () => {
    for (const host of ['evil.example:' + port, `127.0.0.1:${Number(port) + 1}`, '127.0.0.1', `192.168.1.10:${port}`, `localhost.evil.example:${port}`]) {
      const res = await t.admin('/api/devices', { headers: { Host: host } });
      expect(res.status, host).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    }
    const login = new URL(t.fleet.createLoginUrl());
    const viaRebind = await raw(login.pathname + login.search, { headers: { Host: `attacker.example:${port}` } });
    expect(viaRebind.status).toBe(403);
    expect((await t.admin('/api/devices', { headers: { Host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses a mutating request from a foreign Origin (CSRF) and allows its own origin', async () => {
    const session = t.fleet.createSession();
    const cookie = `${session.name}=${session.value}`;
    for (const origin of ['http://evil.example', `http://127.0.0.1:${Number(port) + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      const res = await raw('/api/devices/aa:bb:cc:00:00:01', { method: 'PATCH', headers: { Cookie: cookie, Origin: origin }, body: { name: 'csrf' } });
      expect(res.status, origin).toBe(403);
    }
    const crossSite = await raw('/api/devices/aa:bb:cc:00:00:01', { method: 'PATCH', headers: { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' }, body: { name: 'csrf' } });
    expect(crossSite.status).toBe(403);
    expect((await t.admin('/api/devices/aa:bb:cc:00:00:01')).json.name).not.toBe('csrf');

    const readFromForeign = await raw('/api/devices', { headers: { Cookie: cookie, Origin: 'http://evil.example' } });
    expect(readFromForeign.status).toBe(200);
    expect(readFromForeign.headers['access-control-allow-origin']).toBeUndefined();

    const own = await raw('/api/devices/aa:bb:cc:00:00:01', { method: 'PATCH', headers: { Cookie: cookie, Origin: t.adminUrl }, body: { name: 'mine' } });
    expect(own.status).toBe(200);
    expect(own.json.name).toBe('mine');
  });

  it('sends security headers and a CSP', async () => {
    const res = await t.admin('/');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const api = await t.admin('/api/settings');
    expect(api.headers['cache-control']).toBe('no-store');
  });
});
