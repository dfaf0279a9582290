/**
 * Legacy unicast queries (RFC 6762 §6.7): a one-shot resolver (dig, a small device stack) asks
 * from an ephemeral port and only listens there. Linux hands a multicast query to every socket
 * bound to 5353 and a unicast one to just one of them, whatever interface it belongs to, so the
 * links forward such queries here; we answer each query once, from the link on the querier's
 * subnet (its address is the one the querier can reach). A querier on no advertised subnet —
 * e.g. on an interface the user left out — gets no answer.
 */
import { onSameSubnet } from './interfaces';
import type { LinkResponder, MdnsPacket, RemoteInfo } from './link';

const DUPLICATE_WINDOW_MS = 2000;

export function createLegacyResponder(links: () => LinkResponder[], now: () => number) {
  const recent = new Map<string, number>();
  return (query: MdnsPacket, rinfo: RemoteInfo): void => {
    const t = now();
    for (const [key, at] of recent) if (t - at > DUPLICATE_WINDOW_MS) recent.delete(key);
    const key = `${rinfo.address}:${rinfo.port}:${query.id ?? 0}`;
    if (recent.has(key)) return; // the same datagram, delivered to another link's socket
    recent.set(key, t);
    links().find((l) => onSameSubnet(l.lan, rinfo.address))?.answerLegacy(query, rinfo);
  };
}
