// Electron entry: placeholder until the shell lands.
import { app } from 'electron';

void app.whenReady().then(() => app.quit());
