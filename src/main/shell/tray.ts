import { Menu, Tray } from 'electron';
import type { Fleet } from '../core';
import type { PrefsFile } from './prefs';
import { trayIcon } from './tray-icon';

export interface TrayActions {
  show: () => void;
  quit: () => void;
}

/** Tray icon with "online/total" and a small menu; refreshed from the delta stream, at most once a second. */
export function createFleetTray(fleet: Fleet, prefs: PrefsFile, actions: TrayActions): { dispose(): void } {
  const tray = new Tray(trayIcon(false));
  let lastLabel = '';

  const render = (): void => {
    const { total, counts } = fleet.services.devices.list({ sort: 'name', order: 'asc', offset: 0, limit: 1 });
    const label = `${counts.online}/${total} online`;
    if (label === lastLabel) return;
    lastLabel = label;
    tray.setImage(trayIcon(counts.online > 0));
    tray.setToolTip(`FleetDesk — ${label}`);
    if (process.platform === 'darwin') tray.setTitle(`${counts.online}/${total}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: `FleetDesk — ${label}`, enabled: false },
        { type: 'separator' },
        { label: 'Show FleetDesk', click: actions.show },
        {
          label: 'Pause notifications',
          type: 'checkbox',
          checked: prefs.get().notificationsPaused,
          click: (item) => prefs.update({ notificationsPaused: item.checked }),
        },
        { type: 'separator' },
        { label: 'Quit FleetDesk', click: actions.quit },
      ]),
    );
  };

  let timer: NodeJS.Timeout | null = null;
  const unsubscribe = fleet.services.deltas.subscribe(() => {
    timer ??= setTimeout(() => {
      timer = null;
      render();
    }, 1000);
  });
  tray.on('click', actions.show);
  render();

  return {
    dispose() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      tray.destroy();
    },
  };
}
