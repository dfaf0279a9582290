// The renderer talks to the core over the loopback admin API only (DESIGN §3), so the preload
// exposes nothing but what the page cannot learn by itself.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('fleetdesk', { shell: 'electron' as const });
