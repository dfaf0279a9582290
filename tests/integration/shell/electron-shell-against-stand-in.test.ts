/**
 * The desktop shell as built (out/main/index.js), run in plain Node against a stand-in `electron`
 * module that records every call (tests/helpers/electron-stand-in/). The real fleet runs inside it:
 * real SQLite in a temp data dir, real HTTP on 127.0.0.1. What is checked is what our shell code
 * does with Electron's API — not Electron itself, which cannot run here (`npm run test:desktop`
 * launches the real thing where it can).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, ShellProcess, type ShellCall } from '../../helpers/electron-stand-in/shell-process';
import { httpRequest, type RawRequest } from '../../helpers/http';

interface MenuItem { label?: string; type?: string; checked?: boolean; enabled?: boolean; role?: string; submenu?: MenuItem[] }

const scratch: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdesk-shell-'));
  scratch.push(dir);
  return dir;
}
const shellArgs = (dataDir: string, ...extra: string[]) =>
  ['--data-dir', dataDir, '--device-port', '0', '--bind', '127.0.0.1', '--no-mdns', ...extra];

beforeAll(() => {
  // Built once for the whole suite by `npm test`; rebuilt here only when the sources are newer.
  const script = `import('./scripts/build-if-stale.mjs').then((m) => m.buildIfStale(process.cwd()))`;
  const build = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('electron-vite build failed');
}, 300_000);
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('Electron shell (built main entry) against a stand-in electron module', () => {
  let shell: ShellProcess;
  let dataDir: string;
  let adminUrl: string;
  let deviceUrl: string;
  let cookie: string;
  const admin = (path: string, init: RawRequest = {}) => httpRequest(adminUrl, path, { ...init, headers: { Cookie: cookie, ...init.headers } });
  const device = (path: string, init: RawRequest = {}) => httpRequest(deviceUrl, path, init);
  const register = async (mac: string) => {
    const res = await device(`/api/v1/devices/${mac}/register`, { body: { ip: '10.0.0.9' } });
    expect(res.status).toBe(201);
    return res.json.token as string;
  };
  const notificationsSince = (mark: number) => shell.named('Notification.new', mark).map((c) => (c.options as { title: string }).title);
  const latestTrayMenu = () => shell.named('Tray.setContextMenu').at(-1)!.template as MenuItem[];
  const trayTooltip = (text: string, from = 0) => shell.until('Tray.setToolTip', (c) => c.text === text, from);

  beforeAll(async () => {
    dataDir = tempDir();
    shell = new ShellProcess(shellArgs(dataDir, '--policy', 'approve'));
    const load = await shell.until('BrowserWindow.loadURL');
    adminUrl = String(load.url).replace(/\/$/, '');
    const set = shell.named('session.cookies.set')[0]!;
    const details = set.details as { name: string; value: string };
    cookie = `${details.name}=${details.value}`;
    const server = await admin('/api/server');
    expect(server.status).toBe(200);
    deviceUrl = `http://127.0.0.1:${server.json.device.port}`;
  });
  afterAll(() => shell?.kill());

  it('holds the single-instance lock, keeps its data in the given dir, and opens one isolated, sandboxed window without Node', async () => {
    expect(shell.named('app.requestSingleInstanceLock')[0]).toMatchObject({ granted: true });
    expect(shell.named('app.setPath')[0]).toMatchObject({ name: 'userData', path: dataDir });
    const windows = shell.named('BrowserWindow.new');
    expect(windows).toHaveLength(1);
    const { webPreferences, show } = windows[0]!.options as { webPreferences: Record<string, unknown>; show: boolean };
    expect(webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(webPreferences.preload).toBe(join(repoRoot, 'out', 'preload', 'index.cjs'));
    expect(existsSync(String(webPreferences.preload))).toBe(true);
    expect(show).toBe(false); // shown once ready, never as a blank frame
    await shell.until('BrowserWindow.show', () => true, windows[0]!.seq);
  });

  it('sets the session cookie (HttpOnly, SameSite=Strict, for the admin origin) before loading the UI, and that cookie signs in', async () => {
    const set = shell.named('session.cookies.set');
    const load = shell.named('BrowserWindow.loadURL');
    expect(set).toHaveLength(1);
    expect(load).toHaveLength(1);
    expect(set[0]!.seq).toBeLessThan(load[0]!.seq);
    expect(set[0]!.details).toMatchObject({ url: adminUrl, name: 'fd_session', httpOnly: true, sameSite: 'strict' });
    expect(new URL(adminUrl).hostname).toBe('127.0.0.1');
    expect((await admin('/api/server')).status).toBe(200);
    expect((await httpRequest(adminUrl, '/api/server')).status).toBe(401);
    expect((await admin('/api/server', { headers: { Cookie: `${cookie}x` } })).status).toBe(401);
  });

  it('refuses navigation to another origin and every window.open', async () => {
    expect(await shell.command('navigate', { url: `${adminUrl}/#/devices` })).toEqual({ prevented: false });
    for (const url of ['https://example.com/', `http://127.0.0.1:${Number(new URL(adminUrl).port) + 1}/`, `http://localhost:${new URL(adminUrl).port}/`, 'file:///etc/passwd']) {
      expect(await shell.command('navigate', { url }), url).toEqual({ prevented: true });
    }
    for (const url of [`${adminUrl}/#/devices`, 'https://example.com/']) {
      expect(await shell.command('openWindow', { url }), url).toEqual({ action: 'deny' });
    }
  });

  it('shows "online/total" in the tray with its menu, and turns the icon green when a device is online', async () => {
    await trayTooltip('FleetDesk — 0/0 online');
    const menu = latestTrayMenu();
    expect(menu.map((i) => i.label ?? i.type)).toEqual([
      'FleetDesk — 0/0 online', 'separator', 'Show FleetDesk', 'Pause notifications', 'separator', 'Quit FleetDesk',
    ]);
    expect(menu[0]!.enabled).toBe(false);
    expect(menu[3]).toMatchObject({ type: 'checkbox', checked: false });
    const grey = (shell.named('Tray.setImage').at(-1) ?? shell.named('Tray.new')[0]!).image as { centre: string };

    const mark = shell.mark;
    const token = await register('02:00:00:5e:00:01');
    expect((await admin('/api/devices/02:00:00:5e:00:01/approve', { method: 'POST' })).status).toBe(200);
    const checkin = await device('/api/v1/devices/02:00:00:5e:00:01/checkin', {
      headers: { Authorization: `Bearer ${token}` }, body: { cfgsn: 0, rssi: -50 },
    });
    expect(checkin.status).toBe(200);
    const online = await trayTooltip('FleetDesk — 1/1 online', mark);
    expect(latestTrayMenu()[0]!.label).toBe('FleetDesk — 1/1 online');
    const green = shell.named('Tray.setImage', mark).at(-1)!.image as { centre: string };
    expect(green.centre).toBe('#18a058');
    expect(grey.centre).not.toBe(green.centre);
    expect(online.seq).toBeGreaterThan(mark);
  });

  it('notifies about a device waiting for approval; the menu switch and "Pause notifications" silence it; a click shows the window', async () => {
    let mark = shell.mark;
    await register('02:00:00:5e:00:02');
    await shell.settled();
    expect(notificationsSince(mark)).toEqual(['Device waiting for approval']);
    const note = shell.named('Notification.new', mark)[0]!;
    expect((note.options as { body: string }).body).toContain('02:00:00:5e:00:02');
    expect(shell.named('Notification.show', mark)).toHaveLength(1);

    // a click on the notification brings the hidden window back
    expect(await shell.command('closeWindow')).toEqual({ prevented: true });
    mark = shell.mark;
    await shell.command('clickNotification', { index: note.index });
    expect(shell.named('BrowserWindow.show', mark)).toHaveLength(1);
    expect(shell.named('BrowserWindow.focus', mark)).toHaveLength(1);
    expect(await shell.command('windowState')).toMatchObject({ visible: true });

    // File ▸ "Notify when a device waits for approval" off: stored, and nothing shown
    expect(await shell.command('clickAppMenu', { label: 'Notify when a device waits for approval' })).toEqual({ checked: false });
    expect(JSON.parse(readFileSync(join(dataDir, 'desktop-prefs.json'), 'utf8'))).toMatchObject({ notifyPending: false });
    mark = shell.mark;
    await register('02:00:00:5e:00:03');
    await shell.settled();
    expect(notificationsSince(mark)).toEqual([]);

    // back on, but paused from the tray: still nothing
    await shell.command('clickAppMenu', { label: 'Notify when a device waits for approval' });
    expect(await shell.command('clickTrayMenu', { label: 'Pause notifications' })).toEqual({ checked: true });
    mark = shell.mark;
    await register('02:00:00:5e:00:04');
    await shell.settled();
    expect(notificationsSince(mark)).toEqual([]);

    // unpaused: shown again
    await shell.command('clickTrayMenu', { label: 'Pause notifications' });
    mark = shell.mark;
    await register('02:00:00:5e:00:05');
    await shell.settled();
    expect(notificationsSince(mark)).toEqual(['Device waiting for approval']);
  });

  it('closing the window keeps serving from the tray; a second instance or the tray shows and focuses it again', async () => {
    let mark = shell.mark;
    expect(await shell.command('closeWindow')).toEqual({ prevented: true });
    expect(shell.named('BrowserWindow.hide', mark)).toHaveLength(1);
    expect(await shell.command('windowState')).toMatchObject({ visible: false, destroyed: false });
    expect((await admin('/api/server')).status).toBe(200); // the fleet still serves

    mark = shell.mark;
    await shell.command('appEmit', { event: 'second-instance', args: [['fleetdesk'], '/'] });
    await shell.until('BrowserWindow.focus', () => true, mark);
    expect(shell.named('BrowserWindow.show', mark)).toHaveLength(1);
    expect(await shell.command('windowState')).toMatchObject({ visible: true });

    await shell.command('minimizeWindow');
    mark = shell.mark;
    await shell.command('appEmit', { event: 'second-instance', args: [['fleetdesk'], '/'] });
    await shell.until('BrowserWindow.focus', () => true, mark);
    expect(shell.named('BrowserWindow.restore', mark)).toHaveLength(1);

    await shell.command('closeWindow');
    mark = shell.mark;
    await shell.command('clickTray');
    await shell.until('BrowserWindow.focus', () => true, mark);
    expect(await shell.command('windowState')).toMatchObject({ visible: true });
    expect(shell.named('BrowserWindow.new')).toHaveLength(1); // the same window, not a new one
  });

  it('quits when the window closes with "keep serving" off: the tray goes, the fleet stops and the last check-in is on disk', async () => {
    const token = await register('02:00:00:5e:00:06');
    await admin('/api/devices/02:00:00:5e:00:06/approve', { method: 'POST' });
    const checkin = await device('/api/v1/devices/02:00:00:5e:00:06/checkin', {
      headers: { Authorization: `Bearer ${token}` }, body: { cfgsn: 0, rssi: -42, heap: 31337, uptime: 99 },
    });
    expect(checkin.status).toBe(200);

    expect(await shell.command('clickAppMenu', { label: 'Keep serving devices when the window closes' })).toEqual({ checked: false });
    const mark = shell.mark;
    expect(await shell.command('closeWindow')).toEqual({ prevented: false });
    expect(await shell.exited).toBe(0);
    const after = (what: string): ShellCall => shell.named(what, mark)[0]!;
    expect(after('app.quit')).toBeDefined();
    expect(after('Tray.destroy').seq).toBeGreaterThan(after('app.quit').seq);
    expect(after('app.exit')).toMatchObject({ code: 0 });
    expect(after('app.exit').seq).toBeGreaterThan(after('Tray.destroy').seq);
    expect(shell.stderr).toContain('fleet stopped');

    // stop() checkpoints on close: the data dir is one file at rest, holding the last check-in
    expect(statSync(join(dataDir, 'fleetdesk.db-wal'), { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    const db = new Database(join(dataDir, 'fleetdesk.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT rssi, heap, uptime, last_seen_at FROM devices WHERE id = ?').get('02:00:00:5e:00:06') as Record<string, number>;
      expect(row).toMatchObject({ rssi: -42, heap: 31337, uptime: 99 });
      expect(row.last_seen_at).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});

describe('Electron shell start-up paths', () => {
  it('a second instance quits at once: no fleet, no window', async () => {
    const dataDir = tempDir();
    const second = new ShellProcess(shellArgs(dataDir), { ELECTRON_STAND_IN_LOCK: 'held-elsewhere' });
    try {
      expect(await second.exited).toBe(0);
      // userData points at the data dir first, so the single-instance lock is per data directory
      expect(second.calls.map((c) => c.what)).toEqual(['app.setPath', 'app.requestSingleInstanceLock', 'app.quit']);
      expect(existsSync(join(dataDir, 'fleetdesk.db'))).toBe(false);
    } finally {
      second.kill();
    }
  });

  it('a fleet that cannot start says why in a dialog and exits with 2', async () => {
    const holder: Server = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const port = (holder.address() as { port: number }).port;
    const shell = new ShellProcess(['--data-dir', tempDir(), '--device-port', String(port), '--bind', '127.0.0.1', '--no-mdns']);
    try {
      expect(await shell.exited).toBe(2);
      const box = shell.named('dialog.showErrorBox')[0]!;
      expect(box.title).toBe('FleetDesk could not start');
      expect(box.content).toContain('--device-port');
      expect(shell.named('BrowserWindow.new')).toEqual([]);
      expect(shell.named('app.exit')[0]).toMatchObject({ code: 2 });
    } finally {
      shell.kill();
      await new Promise((done) => holder.close(done));
    }
  });
});
