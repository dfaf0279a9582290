import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { PrefsFile } from './prefs';

/** The standard application menu, plus the desktop preferences that have no place in the web UI. */
export function installAppMenu(prefs: PrefsFile): void {
  const toggle = (label: string, key: 'notifyOffline' | 'notifyPending' | 'closeToTray'): MenuItemConstructorOptions => ({
    label,
    type: 'checkbox',
    checked: prefs.get()[key],
    click: (item) => prefs.update({ [key]: item.checked }),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        toggle('Notify when a device goes offline', 'notifyOffline'),
        toggle('Notify when a device waits for approval', 'notifyPending'),
        toggle('Keep serving devices when the window closes', 'closeToTray'),
        { type: 'separator' },
        { label: 'Quit FleetDesk', accelerator: 'CmdOrCtrl+Q', click: () => app.quit() },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
