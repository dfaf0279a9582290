/**
 * Finds the FleetDesk server the way a device does: browse mDNS for `_fleetdesk._tcp`, prefer the
 * server whose TXT `id` we registered with, fall back to the first one answering.
 * (Multicast on the real LAN: tests run this only inside a network namespace they created.)
 */
import { Bonjour, type Service } from 'bonjour-service';
import { MDNS_SERVICE_TYPE } from '../shared/protocol';

export interface DiscoveredServer {
  url: string;
  id: string | undefined;
  name: string;
}

export function discoverServer(options: { preferId?: string; timeoutMs?: number } = {}): Promise<DiscoveredServer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const bonjour = new Bonjour();
  return new Promise<DiscoveredServer>((resolve, reject) => {
    let fallback: DiscoveredServer | null = null;
    const finish = (error: Error | null, found?: DiscoveredServer) => {
      clearTimeout(timer);
      clearTimeout(fallbackTimer);
      clearInterval(requery);
      browser.stop();
      bonjour.destroy();
      if (found) resolve(found);
      else reject(error ?? new Error('discovery stopped'));
    };
    const browser = bonjour.find({ type: MDNS_SERVICE_TYPE }, (service: Service) => {
      const candidate = toServer(service);
      if (!candidate) return;
      if (!options.preferId || candidate.id === options.preferId) finish(null, candidate);
      else fallback ??= candidate;
    });
    // A query can be lost (or go out before the server's link is up): ask again every second.
    const requery = setInterval(() => browser.update(), 1_000);
    // The preferred server may answer a little later than a stranger; give it a moment.
    const fallbackTimer = setTimeout(() => { if (fallback) finish(null, fallback); }, Math.min(3_000, timeoutMs / 2));
    const timer = setTimeout(() => {
      if (fallback) finish(null, fallback);
      else finish(new Error(`no FleetDesk server answered mDNS (_${MDNS_SERVICE_TYPE}._tcp) within ${timeoutMs / 1000} s; pass --server http://HOST:PORT`));
    }, timeoutMs);
  });
}

function toServer(service: Service): DiscoveredServer | null {
  const address = (service.addresses ?? []).find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)) ?? service.referer?.address;
  if (!address || !service.port) return null;
  const txt = (service.txt ?? {}) as Record<string, unknown>;
  return { url: `http://${address}:${service.port}`, id: typeof txt.id === 'string' ? txt.id : undefined, name: service.name };
}
