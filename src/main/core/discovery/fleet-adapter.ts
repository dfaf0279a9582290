/**
 * Discovery as the fleet core runs it: identity from the device listener and the server id,
 * instance name and interfaces from the settings, re-applied whenever the settings change
 * (the settings service announces every change on the delta bus).
 */
import type { Logger } from 'pino';
import type { SeenDevice, ServerInfo } from '../../../shared/api';
import type { FleetServices } from '../services/contracts';
import { createDiscovery } from './index';

export interface FleetDiscovery {
  state(): ServerInfo['mdns'];
  seen(): SeenDevice[];
  /** state() or seen() changed; returns the unsubscribe function */
  on(event: 'change', cb: () => void): () => void;
  /** goodbye packets, then the sockets are closed */
  stop(): Promise<void>;
}

export async function startFleetDiscovery(input: {
  port: number;
  serverId: string;
  services: Pick<FleetServices, 'settings' | 'deltas'>;
  logger: Logger;
}): Promise<FleetDiscovery> {
  const fromSettings = (): { instanceName: string; interfaces: string[] } => {
    const settings = input.services.settings.get();
    return { instanceName: settings.mdnsName, interfaces: settings.mdnsInterfaces };
  };
  const discovery = createDiscovery({
    port: input.port,
    serverId: input.serverId,
    ...fromSettings(),
    logger: input.logger.child({ component: 'mdns' }),
  });
  // update() is a no-op unless the name or the interfaces really changed
  const unsubscribe = input.services.deltas.subscribe((delta) => {
    if (delta.type === 'settings') void discovery.update(fromSettings());
  });
  // the server panel and the "seen on the LAN" list follow the advertisement live
  const stopAnnouncing = discovery.on('change', () => input.services.deltas.emit({ type: 'server' }));
  await discovery.start();
  return {
    state: () => discovery.state(),
    seen: () => discovery.seen(),
    on: (event, cb) => discovery.on(event, cb),
    stop: async () => {
      unsubscribe();
      stopAnnouncing();
      await discovery.stop();
    },
  };
}
