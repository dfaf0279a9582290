/**
 * Zero-config discovery, so no IP is ever typed into a device: advertise `_fleetdesk._tcp` on the LAN interfaces the user
 * picks, keep the name unique, follow interface changes, and list devices that advertise
 * themselves. One LinkResponder (a bonjour-service instance) per advertised IPv4 address.
 *
 * Every reconfiguration (start, interface poll, settings update, name conflict, stop) runs
 * through one serial queue, so no two of them interleave their packets.
 */
import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { Logger } from 'pino';
import type { SeenDevice, ServerInfo } from '../../../shared/api';
import { SeenDevices } from './browse';
import { readLinkFacts, selectLanAddresses, selectionKey, type InterfaceSnapshot, type LanAddress, type LinkFactsReader } from './interfaces';
import { createLegacyResponder } from './legacy';
import { LinkResponder, type MdnsPacket } from './link';
import { baseInstanceName, hostLabel, nthInstanceName } from './names';
import { foreignRecords, losesTiebreak, probeName, type Claim } from './probe';
import { addressRecord, goodbyeOf, instanceFqdn, linkRecords, SERVICE_TYPE, serviceRecords, type AdvertisedIdentity } from './records';

export type DiscoveryState = ServerInfo['mdns'];

export interface DiscoveryOptions {
  port: number;
  serverId: string;
  /** '' or absent → "FleetDesk on <hostname>" */
  instanceName?: string;
  /** interface names; [] or absent = every LAN interface */
  interfaces?: string[];
  logger?: Logger;
  /** defaults to os.hostname() */
  hostname?: string;
  /** how often interfaces are re-read, ms (default 3000) */
  pollIntervalMs?: number;
  /** injected in tests */
  networkInterfaces?: () => InterfaceSnapshot;
  linkFacts?: LinkFactsReader;
  now?: () => number;
}

export type DiscoverySettings = Pick<DiscoveryOptions, 'port' | 'serverId' | 'instanceName' | 'interfaces' | 'hostname'>;

export interface Discovery {
  start(): Promise<void>;
  /** Goodbyes (TTL 0) on every link, then sockets closed. */
  stop(): Promise<void>;
  /** Apply changed settings: re-probe and re-announce when the identity changes. */
  update(settings: Partial<DiscoverySettings>): Promise<void>;
  state(): DiscoveryState;
  /** Devices advertising on the LAN (registered or not). */
  seen(): SeenDevice[];
  /** Called when state() or seen() changes; returns an unsubscribe function. */
  on(event: 'change', cb: () => void): () => void;
}

const ANNOUNCE_DELAYS_MS = [0, 1000, 3000]; // RFC 6762 §8.3: at least two, one second apart
const SEEN_REFRESH_MS = 60_000;
/** a responder that claims every name we try must not keep us probing forever */
const MAX_NAME_ATTEMPTS = 50;

/** state() of a core that runs without mDNS (tests, or mDNS switched off). */
export const DISCOVERY_DISABLED: DiscoveryState = { enabled: false, state: 'off', name: '', interfaces: [] };

/** The base URLs a device will use, one per advertised address. */
export function advertisedUrls(state: DiscoveryState, port: number): string[] {
  return state.interfaces.map((i) => `http://${i.address}:${port}/api/v1`);
}

export function createDiscovery(options: DiscoveryOptions): Discovery {
  let settings: DiscoverySettings = { ...options };
  const log = options.logger;
  const readInterfaces = options.networkInterfaces ?? os.networkInterfaces;
  const linkFacts = options.linkFacts ?? readLinkFacts;
  const now = options.now ?? Date.now;
  const events = new EventEmitter();
  const changed = (): void => void events.emit('change');
  const seen = new SeenDevices(now, changed);

  let phase: DiscoveryState['state'] = 'off';
  let message: string | undefined;
  let links: LinkResponder[] = [];
  let hostSubnets: LanAddress[] = [];
  let selection = '';
  let nameIndex = 1;
  let nameIsOurs = false; // probed and announced; new links only need announcing
  let generation = 0; // bumped by stop(): in-flight probes and announcement loops give up
  const timers = new Set<NodeJS.Timeout>(); // pending repeats of announcements
  let queue: Promise<void> = Promise.resolve();

  const serial = (job: () => Promise<void>): Promise<void> => {
    queue = queue.then(job).catch((err: unknown) => {
      phase = 'error';
      message = `mDNS failed: ${err instanceof Error ? err.message : String(err)}`;
      log?.error({ err }, 'mDNS discovery failed');
      changed();
    });
    return queue;
  };

  const identity = (): AdvertisedIdentity => ({
    instanceName: nthInstanceName(baseInstanceName(settings.instanceName, hostName()), nameIndex),
    host: `${hostLabel(hostName())}.local`,
    port: settings.port,
    serverId: settings.serverId,
  });
  const hostName = (): string => settings.hostname ?? os.hostname();
  const identityKey = (): string =>
    JSON.stringify([baseInstanceName(settings.instanceName, hostName()), hostLabel(hostName()), settings.port, settings.serverId]);
  const claim = (): Claim => {
    const id = identity();
    return { fqdn: instanceFqdn(id), records: serviceRecords(id).filter((r) => r.type === 'SRV' || r.type === 'TXT') };
  };

  function onResponse(packet: MdnsPacket): void {
    if (phase !== 'advertising') return;
    const mine = claim();
    const theirs = foreignRecords(mine, [...packet.answers, ...packet.additionals]);
    if (theirs.length === 0) return;
    // RFC 6762 §9: both sides see the conflict; the tie-break decides who renames, the other defends.
    // One packet reaches every link's socket: act once per name, not once per delivery.
    const stillOurs = (): boolean => phase === 'advertising' && claim().fqdn === mine.fqdn;
    if (losesTiebreak(mine, theirs)) {
      void serial(async () => {
        if (!stillOurs()) return;
        log?.warn({ name: identity().instanceName }, 'mDNS name conflict: renaming');
        await rename();
      });
    } else {
      void serial(async () => (stillOurs() ? announce(links, generation) : undefined));
    }
  }

  const answerLegacyQuery = createLegacyResponder(() => links, now);

  function openLink(lan: LanAddress): LinkResponder {
    const link = new LinkResponder(lan, () => hostSubnets, answerLegacyQuery, log);
    link.mdns.on('response', onResponse);
    seen.attach(link);
    return link;
  }

  async function announce(targets: LinkResponder[], gen: number, extra: ReturnType<typeof goodbyeOf> = []): Promise<void> {
    const id = identity();
    for (const link of targets) link.setRecords(linkRecords(id, link.lan.address));
    const send = async (): Promise<void> => {
      if (gen !== generation) return;
      await Promise.all(targets.map((l) => l.multicast({ answers: [...extra, ...l.currentRecords()] })));
    };
    await send();
    for (const delay of ANNOUNCE_DELAYS_MS.slice(1)) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void send();
      }, delay).unref();
      timers.add(timer);
    }
  }

  async function establishName(gen: number): Promise<void> {
    phase = 'starting';
    changed();
    for (;;) {
      const result = await probeName(links, claim(), () => gen !== generation);
      if (gen !== generation) return;
      if (result === 'unique') break;
      log?.info({ taken: identity().instanceName }, 'mDNS name in use, trying the next one');
      if (++nameIndex > MAX_NAME_ATTEMPTS) {
        phase = 'error';
        message = `Every name up to "${identity().instanceName}" is taken on the network; choose another one`;
        changed();
        return;
      }
    }
    nameIsOurs = true;
    phase = 'advertising';
    message = undefined;
    log?.info({ name: identity().instanceName, interfaces: links.map((l) => l.lan) }, 'mDNS advertising');
    changed();
    await announce(links, gen);
  }

  async function rename(): Promise<void> {
    for (const link of links) link.setRecords([]); // the old name is someone else's: no goodbye
    nameIsOurs = false;
    nameIndex += 1;
    await establishName(generation);
  }

  /** Re-read interfaces; open/close links; (re)announce what changed. */
  async function reconcile(force = false): Promise<void> {
    if (!pollTimer) return; // a poll queued just before stop()
    const snapshot = readInterfaces();
    hostSubnets = selectLanAddresses(snapshot, [], () => ({ enslaved: false, multicast: true }));
    const wanted = selectLanAddresses(snapshot, settings.interfaces ?? [], linkFacts);
    const key = selectionKey(wanted);
    if (key === selection && !force) return;
    selection = key;
    const gen = generation;
    const keep = links.filter((l) => wanted.some((w) => selectionKey([w]) === selectionKey([l.lan])));
    const gone = links.filter((l) => !keep.includes(l));
    const fresh = wanted.filter((w) => !keep.some((l) => selectionKey([l.lan]) === selectionKey([w]))).map(openLink);
    // addresses that went away: their A record gets a goodbye through whatever link is left
    const oldAddresses = gone.map((l) => addressRecord(identity().host, l.lan.address));
    for (const link of gone) seen.detach(link);
    // a link the user deselected is still up: say goodbye there; a vanished address cannot be used
    const stillUp = (l: LinkResponder): boolean => hostSubnets.some((h) => h.address === l.lan.address);
    await Promise.all(gone.map((l) => l.close(nameIsOurs && stillUp(l))));
    links = [...keep, ...fresh];
    if (links.length === 0) {
      phase = 'error';
      nameIsOurs = false;
      const wantedNames = settings.interfaces ?? [];
      message = wantedNames.length > 0
        ? `None of ${wantedNames.join(', ')} is up with an IPv4 address; waiting for it`
        : 'No LAN interface with an IPv4 address; waiting for the network';
      log?.warn(message);
      changed();
      return;
    }
    if (!nameIsOurs) return establishName(gen);
    // the name is established: new and remaining links get the new record set (cache-flush bit
    // on A replaces the old address in caches; the goodbye removes it at once)
    await announce(links, gen, goodbyeOf(oldAddresses));
    changed();
  }

  async function closeAll(goodbye: boolean): Promise<void> {
    for (const link of links) seen.detach(link);
    await Promise.all(links.map((l) => l.close(goodbye)));
    links = [];
    selection = '';
  }

  let pollTimer: NodeJS.Timeout | undefined;
  let seenTimer: NodeJS.Timeout | undefined;

  return {
    start: () =>
      serial(async () => {
        if (pollTimer) return;
        phase = 'starting';
        pollTimer = setInterval(() => void serial(() => reconcile()), options.pollIntervalMs ?? 3000).unref();
        seenTimer = setInterval(() => seen.refresh(), SEEN_REFRESH_MS).unref();
        await reconcile(true);
      }),
    stop: () => {
      generation += 1; // at once, so a probe in progress gives up instead of delaying the stop
      return serial(async () => {
        clearInterval(pollTimer);
        clearInterval(seenTimer);
        pollTimer = seenTimer = undefined;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        await closeAll(nameIsOurs);
        nameIsOurs = false;
        phase = 'off';
        message = undefined;
        changed();
      });
    },
    update: (patch) =>
      serial(async () => {
        const beforeIdentity = identityKey();
        const beforeInterfaces = JSON.stringify(settings.interfaces ?? []);
        settings = { ...settings, ...patch };
        if (!pollTimer) return; // not running: takes effect at start
        const identityChanged = identityKey() !== beforeIdentity;
        if (identityChanged) {
          await closeAll(nameIsOurs); // goodbye to the old name, then probe the new one
          nameIsOurs = false;
          nameIndex = 1;
        }
        if (identityChanged || beforeInterfaces !== JSON.stringify(settings.interfaces ?? [])) await reconcile(true);
      }),
    state: () => ({
      enabled: true,
      state: phase,
      name: identity().instanceName,
      interfaces: links.map((l) => ({ name: l.lan.name, address: l.lan.address })),
      ...(message ? { message } : {}),
      host: identity().host,
      serviceType: `_${SERVICE_TYPE}._tcp`,
    }),
    seen: () => seen.list(),
    on: (event, cb) => {
      events.on(event, cb);
      return () => void events.off(event, cb);
    },
  };
}
