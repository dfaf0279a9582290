/**
 * A stand-in for the `electron` module, for running the built desktop entry in plain Node.
 *
 * It implements only the part of Electron's main-process API the shell uses, keeps the state a test
 * needs (window visibility, menus, handlers) and reports every call to the parent process over the
 * IPC channel as `{ type: 'call', what, ...details }`. The parent drives it with
 * `{ id, command, ...args }` messages (emit an app event, close the window, click a menu item, try a
 * navigation) and gets `{ type: 'reply', id, result }` back. Replies and calls share one ordered
 * channel, so a reply to `ping` proves every call made before it has already arrived.
 */
import { EventEmitter } from 'node:events';

function report(what, details = {}) {
  process.send?.({ type: 'call', what, ...details });
}

/** Ends the process only after every report so far has left the IPC channel. */
function exitAfterReports(code) {
  if (!process.send) process.exit(code);
  process.send({ type: 'exit', code }, () => process.exit(code));
}

function preventableEvent() {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

/** The serialisable part of a menu template (click handlers stay here). */
function describeMenu(template) {
  return template.map((item) => ({
    label: item.label,
    role: item.role,
    type: item.type,
    checked: item.checked,
    enabled: item.enabled,
    accelerator: item.accelerator,
    submenu: Array.isArray(item.submenu) ? describeMenu(item.submenu) : undefined,
  }));
}

function findMenuItem(template, label) {
  for (const item of template) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      const found = findMenuItem(item.submenu, label);
      if (found) return found;
    }
  }
  return null;
}

/** Clicks like Electron does: a checkbox flips before its click handler sees it. */
function clickMenuItem(menu, label) {
  const item = menu && findMenuItem(menu.template, label);
  if (!item) throw new Error(`no menu item "${label}"`);
  if (item.type === 'checkbox') item.checked = !item.checked;
  item.click?.({ label: item.label, checked: item.checked }, mainWindow, {});
  return { checked: item.checked };
}

class MenuStandIn {
  constructor(template) {
    this.template = template;
  }

  static buildFromTemplate(template) {
    return new MenuStandIn(template);
  }

  static setApplicationMenu(menu) {
    applicationMenu = menu;
    report('Menu.setApplicationMenu', { template: describeMenu(menu.template) });
  }
}

const nativeImage = {
  /** Keeps size and the centre pixel's colour (BGRA in, `#rrggbb` out) so tests can tell the icons apart. */
  createFromBitmap(buffer, { width, height }) {
    const i = (Math.floor(height / 2) * width + Math.floor(width / 2)) * 4;
    const hex = (n) => n.toString(16).padStart(2, '0');
    return { width, height, centre: `#${hex(buffer[i + 2])}${hex(buffer[i + 1])}${hex(buffer[i])}` };
  },
};

class AppStandIn extends EventEmitter {
  isPackaged = false;

  requestSingleInstanceLock() {
    // The test plays "another FleetDesk already holds the lock" through this variable.
    const granted = process.env.ELECTRON_STAND_IN_LOCK !== 'held-elsewhere';
    report('app.requestSingleInstanceLock', { granted });
    return granted;
  }

  setPath(name, path) {
    report('app.setPath', { name, path });
  }

  whenReady() {
    report('app.whenReady');
    return Promise.resolve();
  }

  /** Electron: 'before-quit' (preventable), then the windows close, then the process ends. */
  quit() {
    report('app.quit');
    const event = preventableEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    for (const window of [...windows]) window.destroy();
    exitAfterReports(0);
  }

  exit(code = 0) {
    report('app.exit', { code });
    exitAfterReports(code);
  }
}

class WebContentsStandIn extends EventEmitter {
  windowOpenHandler = null;

  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
    report('webContents.setWindowOpenHandler');
  }
}

const windows = new Set();
let mainWindow = null;
let applicationMenu = null;
let tray = null;
const notifications = [];

class BrowserWindowStandIn extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.visible = false;
    this.minimized = false;
    this.maximized = false;
    this.destroyed = false;
    this.webContents = new WebContentsStandIn();
    windows.add(this);
    // the stand-in keeps the newest window so the test driver can act on it
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    mainWindow = this;
    report('BrowserWindow.new', { options });
  }

  loadURL(url) {
    report('BrowserWindow.loadURL', { url });
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }

  show() {
    this.visible = true;
    report('BrowserWindow.show');
  }

  hide() {
    this.visible = false;
    report('BrowserWindow.hide');
  }

  focus() {
    report('BrowserWindow.focus');
  }

  minimize() {
    this.minimized = true;
    this.visible = false;
  }

  restore() {
    this.minimized = false;
    this.visible = true;
    report('BrowserWindow.restore');
  }

  maximize() {
    this.maximized = true;
    report('BrowserWindow.maximize');
  }

  isMinimized() {
    return this.minimized;
  }

  isMaximized() {
    return this.maximized;
  }

  isDestroyed() {
    return this.destroyed;
  }

  isVisible() {
    return this.visible;
  }

  getNormalBounds() {
    return { x: 40, y: 30, width: this.options.width, height: this.options.height };
  }

  /** The user closes the window: 'close' may be prevented; otherwise it goes, and with the last one 'window-all-closed'. */
  close() {
    const event = preventableEvent();
    this.emit('close', event);
    report('BrowserWindow.close', { prevented: event.defaultPrevented });
    if (event.defaultPrevented) return { prevented: true };
    this.destroy();
    if (windows.size === 0) app.emit('window-all-closed');
    return { prevented: false };
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    windows.delete(this);
    this.emit('closed');
  }
}

class TrayStandIn extends EventEmitter {
  constructor(image) {
    super();
    this.menu = null;
    // the one tray the shell creates, kept for the test driver to click
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    tray = this;
    report('Tray.new', { image });
  }

  setImage(image) {
    report('Tray.setImage', { image });
  }

  setToolTip(text) {
    report('Tray.setToolTip', { text });
  }

  setTitle(title) {
    report('Tray.setTitle', { title });
  }

  setContextMenu(menu) {
    this.menu = menu;
    report('Tray.setContextMenu', { template: describeMenu(menu.template) });
  }

  destroy() {
    report('Tray.destroy');
  }
}

class NotificationStandIn extends EventEmitter {
  static isSupported() {
    return true;
  }

  constructor(options) {
    super();
    this.options = options;
    this.index = notifications.push(this) - 1;
    report('Notification.new', { index: this.index, options });
  }

  show() {
    report('Notification.show', { index: this.index });
  }
}

const screen = {
  getAllDisplays: () => [{ bounds: { x: 0, y: 0, width: 1920, height: 1080 } }],
};

const session = {
  defaultSession: {
    cookies: {
      set(details) {
        report('session.cookies.set', { details });
        return Promise.resolve();
      },
    },
  },
};

const dialog = {
  showErrorBox(title, content) {
    report('dialog.showErrorBox', { title, content });
  },
};

export const app = new AppStandIn();

/** What the parent can make happen, as a user or the OS would. */
const commands = {
  ping: () => 'pong',
  appEmit: ({ event, args = [] }) => {
    app.emit(event, preventableEvent(), ...args);
  },
  windowState: () =>
    mainWindow && { visible: mainWindow.visible, minimized: mainWindow.minimized, destroyed: mainWindow.destroyed },
  closeWindow: () => mainWindow.close(),
  minimizeWindow: () => mainWindow.minimize(),
  navigate: ({ url }) => {
    const event = preventableEvent();
    mainWindow.webContents.emit('will-navigate', event, url);
    return { prevented: event.defaultPrevented };
  },
  openWindow: ({ url }) => mainWindow.webContents.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' }) ?? null,
  clickTray: () => {
    tray.emit('click');
  },
  clickTrayMenu: ({ label }) => clickMenuItem(tray?.menu, label),
  clickAppMenu: ({ label }) => clickMenuItem(applicationMenu, label),
  clickNotification: ({ index }) => {
    notifications[index].emit('click');
  },
};

// A test that died must not leave a fleet running behind it.
process.on('disconnect', () => process.exit(1));

process.on('message', (message) => {
  if (!message || typeof message.command !== 'string') return;
  let reply;
  try {
    const command = commands[message.command];
    if (!command) throw new Error(`unknown command ${message.command}`);
    reply = { type: 'reply', id: message.id, result: command(message) ?? null };
  } catch (err) {
    reply = { type: 'reply', id: message.id, error: String(err?.stack ?? err) };
  }
  process.send?.(reply);
});

export {
  BrowserWindowStandIn as BrowserWindow,
  dialog,
  MenuStandIn as Menu,
  nativeImage,
  NotificationStandIn as Notification,
  screen,
  session,
  TrayStandIn as Tray,
};
export default {
  app, BrowserWindow: BrowserWindowStandIn, dialog, Menu: MenuStandIn, nativeImage, Notification: NotificationStandIn,
  screen, session, Tray: TrayStandIn,
};
