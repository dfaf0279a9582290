// Electron entry: the desktop shell around the same core the headless CLI runs. The fleet lives
// in this process; the window is just a client of the loopback admin listener, exactly like a
// browser pointed at the headless server, so the e2e tests in Chromium exercise the same UI code.
import { app, BrowserWindow, dialog } from 'electron';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createFleet, DatabaseDamagedError, DataDirLockedError, FleetStartError, type Fleet } from './core';
import { createLogger } from './launch/logger';
import { parseLaunchOptions, toFleetOptions } from './launch/options';
import { installAppMenu } from './shell/menu';
import { notifyFleetChanges } from './shell/notifications';
import { PrefsFile } from './shell/prefs';
import { createFleetTray } from './shell/tray';
import { openMainWindow } from './shell/window';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

const options = parseLaunchOptions(process.argv.slice(app.isPackaged ? 1 : 2), { defaultAdminPort: 0, ignoreUnknown: true });
// Electron keys its single-instance lock by userData: set it first, so a second window on the
// same data directory focuses the running one while another directory runs its own app. The
// data-directory lock of the core stays the authority (a headless server holding it, say).
app.setPath('userData', options.dataDir);
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();

  const logger = createLogger();
  const prefs = new PrefsFile(options.dataDir);
  const rendererDir = here('../renderer');
  const fleet: Fleet = createFleet(
    toFleetOptions(options, {
      logger,
      rendererDir: existsSync(`${rendererDir}/index.html`) ? rendererDir : undefined,
      nativeBinding: process.env.FLEETDESK_SQLITE_BINDING,
    }),
  );

  try {
    await fleet.start();
  } catch (err) {
    const message = err instanceof FleetStartError || err instanceof DataDirLockedError || err instanceof DatabaseDamagedError ? err.message : String(err);
    dialog.showErrorBox('FleetDesk could not start', message);
    app.exit(2);
    return;
  }

  let window: BrowserWindow | null = null;
  let quitting = false;
  const show = async (): Promise<void> => {
    if (!window || window.isDestroyed()) {
      window = await openMainWindow(fleet, prefs, here('../preload'));
      window.on('close', (event) => {
        if (!quitting && prefs.get().closeToTray) {
          event.preventDefault();
          window?.hide();
        }
      });
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  installAppMenu(prefs);
  const tray = createFleetTray(fleet, prefs, { show: () => void show(), quit: () => app.quit() });
  const stopNotifications = notifyFleetChanges(fleet, prefs, () => void show());
  app.on('second-instance', () => void show());
  app.on('activate', () => void show());
  // Devices keep being served from the tray; only an explicit quit ends the app.
  app.on('window-all-closed', () => {
    if (!prefs.get().closeToTray) app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    tray.dispose();
    stopNotifications();
    // the event handler cannot wait: exit once the fleet has flushed and closed, or failed to
    void fleet.stop().then(
      () => app.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stopping the fleet failed');
        app.exit(1);
      },
    );
  });
  await show();
}
