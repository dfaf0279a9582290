import { BrowserWindow, screen, session } from 'electron';
import { join } from 'node:path';
import type { Fleet } from '../core';
import type { PrefsFile } from './prefs';

/**
 * The main window: loads the UI from the loopback admin listener with a session cookie set
 * beforehand, so the page never sees a token. Everything that could turn the window into a
 * general browser (navigation elsewhere, popups, node access) is refused.
 */
export async function openMainWindow(fleet: Fleet, prefs: PrefsFile, preloadDir: string): Promise<BrowserWindow> {
  const cookie = fleet.createSession();
  await session.defaultSession.cookies.set({
    url: fleet.adminUrl,
    name: cookie.name,
    value: cookie.value,
    httpOnly: true,
    sameSite: 'strict',
  });

  const { bounds } = prefs.get();
  const onScreen = screen.getAllDisplays().some((d) => bounds.x !== undefined && bounds.y !== undefined &&
    bounds.x >= d.bounds.x && bounds.y >= d.bounds.y && bounds.x < d.bounds.x + d.bounds.width && bounds.y < d.bounds.y + d.bounds.height);
  const win = new BrowserWindow({
    width: bounds.width,
    height: bounds.height,
    ...(onScreen ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'FleetDesk',
    webPreferences: {
      preload: join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const adminOrigin = new URL(fleet.adminUrl).origin;
  win.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== adminOrigin) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));

  const rememberBounds = (): void => {
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    prefs.update({ bounds: { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() } });
  };
  win.on('resized', rememberBounds);
  win.on('moved', rememberBounds);
  win.on('close', rememberBounds);

  await win.loadURL(fleet.adminUrl);
  return win;
}
