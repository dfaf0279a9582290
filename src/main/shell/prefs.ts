import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Desktop-only preferences (the fleet's own settings live in the database). */
export interface ShellPrefs {
  bounds: { x?: number; y?: number; width: number; height: number; maximized: boolean };
  notifyOffline: boolean;
  notifyPending: boolean;
  notificationsPaused: boolean;
  /** closing the window keeps serving devices from the tray */
  closeToTray: boolean;
}

const DEFAULTS: ShellPrefs = {
  bounds: { width: 1280, height: 820, maximized: false },
  notifyOffline: true,
  notifyPending: true,
  notificationsPaused: false,
  closeToTray: true,
};

export class PrefsFile {
  private readonly path: string;
  private current: ShellPrefs;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'desktop-prefs.json');
    this.current = { ...DEFAULTS, ...this.read() };
  }

  get(): ShellPrefs {
    return this.current;
  }

  update(patch: Partial<ShellPrefs>): ShellPrefs {
    this.current = { ...this.current, ...patch };
    try {
      writeFileSync(this.path, JSON.stringify(this.current, null, 2));
    } catch {
      // Losing a window position is not worth interrupting the operator for.
    }
    return this.current;
  }

  private read(): Partial<ShellPrefs> {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Partial<ShellPrefs>;
    } catch {
      return {};
    }
  }
}
