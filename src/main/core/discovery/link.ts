/**
 * One mDNS responder per advertised interface: a bonjour-service instance scoped to that
 * interface's address (membership, outgoing multicast interface), answering from a record set
 * that holds only this link's address.
 *
 * Two things bonjour-service does not do and we add on its multicast-dns socket:
 * - legacy unicast (RFC 6762 §6.7): a query from a port other than 5353 gets a unicast reply to
 *   that port echoing the id and the questions (bonjour-service only ever multicasts); such
 *   queries are handed to `onLegacyQuery` (see legacy.ts), which picks the one link to answer;
 * - link scoping: Linux delivers a group's packets to every socket bound to 0.0.0.0:5353 whatever
 *   the interface they arrived on, so each responder answers only queries from its own subnet
 *   (or from no known subnet, e.g. a 169.254 address), never leaking a reply onto another link.
 */
import { Bonjour, type Browser, type BrowserConfig } from 'bonjour-service';
import type { Logger } from 'pino';
import { onSameSubnet, type LanAddress } from './interfaces';
import { answersFor, goodbyeOf, type WireRecord } from './records';

export const MDNS_PORT = 5353;

export interface RemoteInfo { address: string; port: number }
export interface MdnsPacket {
  id?: number;
  type?: 'query' | 'response';
  flags?: number;
  questions: { name: string; type: string; class?: string }[];
  answers: WireRecord[];
  additionals: WireRecord[];
  authorities: WireRecord[];
}

/**
 * The parts of bonjour-service's internals we build on. They are not in its .d.ts (marked
 * private) but are its stable structure since the fork from `bonjour` (server.mdns is the
 * multicast-dns instance, server.registry the answer set).
 */
interface MulticastDns {
  on(event: 'query' | 'response', cb: (packet: MdnsPacket, rinfo: RemoteInfo) => void): void;
  on(event: 'error' | 'warning', cb: (err: Error) => void): void;
  removeListener(event: string, cb: (...args: never[]) => void): void;
  removeAllListeners(event: string): void;
  send(packet: object, rinfo: RemoteInfo | null, cb: (err?: Error | null) => void): void;
  respond(packet: object, rinfo: RemoteInfo | null, cb: (err?: Error | null) => void): void;
}
interface BonjourServerInternals {
  mdns: MulticastDns;
  registry: Record<string, WireRecord[]>;
  register(records: WireRecord[]): void;
  respondToQuery(query: MdnsPacket): void;
}

export type OtherSubnets = () => LanAddress[];
export type LegacyQueryHandler = (query: MdnsPacket, rinfo: RemoteInfo) => void;

export class LinkResponder {
  private readonly bonjour: Bonjour;
  private readonly server: BonjourServerInternals;
  private records: WireRecord[] = [];
  private closed = false;

  constructor(
    readonly lan: LanAddress,
    /** every IPv4 subnet of this host, advertised or not, to recognise where a query came from */
    private readonly hostSubnets: OtherSubnets,
    private readonly onLegacyQuery: LegacyQueryHandler,
    private readonly log: Logger | undefined,
  ) {
    // bonjour-service types its constructor options as ServiceConfig; they go to multicast-dns.
    const mdnsOptions = { interface: lan.address, bind: '0.0.0.0', port: MDNS_PORT, reuseAddr: true, loopback: true } as unknown as ConstructorParameters<typeof Bonjour>[0];
    this.bonjour = new Bonjour(mdnsOptions, (err: Error) => this.log?.warn({ err, iface: lan.name }, 'mDNS send failed'));
    this.server = (this.bonjour as unknown as { server: BonjourServerInternals }).server;
    const mdns = this.server.mdns;
    // multicast-dns emits 'error' for EADDRINUSE/EACCES: without a listener that would crash the app
    mdns.on('error', (err) => this.log?.error({ err, iface: lan.name }, 'mDNS socket error'));
    mdns.on('warning', (err) => this.log?.debug({ err, iface: lan.name }, 'mDNS warning'));
    mdns.removeAllListeners('query'); // replaced by the scoped handler below
    mdns.on('query', (query, rinfo) => this.onQuery(query, rinfo));
  }

  get mdns(): MulticastDns {
    return this.server.mdns;
  }

  /** Replace what this link answers with. */
  setRecords(records: WireRecord[]): void {
    this.records = records;
    this.server.registry = {};
    this.server.register(records);
  }

  currentRecords(): WireRecord[] {
    return this.records;
  }

  /** Unsolicited multicast response (announcement, goodbye). Resolves even on failure: logged. */
  multicast(packet: Partial<MdnsPacket>): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.mdns.respond({ answers: [], additionals: [], ...packet }, null, (err) => {
        if (err) this.log?.warn({ err, iface: this.lan.name }, 'mDNS multicast failed');
        resolve();
      });
    });
  }

  query(packet: Partial<MdnsPacket>): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.mdns.send({ type: 'query', questions: [], ...packet }, null, (err) => {
        if (err) this.log?.warn({ err, iface: this.lan.name }, 'mDNS query failed');
        resolve();
      });
    });
  }

  find(config: BrowserConfig): Browser {
    return this.bonjour.find(config);
  }

  /** Goodbye (TTL 0) for everything we answered for, then close the socket. */
  async close(sendGoodbye: boolean): Promise<void> {
    if (this.closed) return;
    if (sendGoodbye && this.records.length > 0) await this.multicast({ answers: goodbyeOf(this.records) });
    this.closed = true;
    this.server.registry = {};
    await new Promise<void>((resolve) => this.bonjour.destroy(() => resolve()));
  }

  private fromThisLink(source: string): boolean {
    if (onSameSubnet(this.lan, source)) return true;
    // a source on none of our subnets (link-local, misconfigured device) can only be answered by
    // multicast; do so, it goes out on advertised links only
    return !this.hostSubnets().some((lan) => onSameSubnet(lan, source));
  }

  private onQuery(query: MdnsPacket, rinfo: RemoteInfo): void {
    if (this.closed) return;
    if (rinfo.port !== MDNS_PORT) return this.onLegacyQuery(query, rinfo);
    if (this.fromThisLink(rinfo.address)) this.server.respondToQuery(query);
  }

  /** Unicast reply to a legacy query, from this link's records. */
  answerLegacy(query: MdnsPacket, rinfo: RemoteInfo): void {
    const { answers, additionals } = answersFor(this.records, query.questions);
    if (answers.length === 0) return;
    const reply = { id: query.id ?? 0, questions: query.questions, answers, additionals };
    this.mdns.respond(reply, { address: rinfo.address, port: rinfo.port }, (err) => {
      if (err) this.log?.warn({ err, to: rinfo }, 'legacy unicast reply failed');
    });
  }
}
