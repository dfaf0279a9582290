/**
 * Two "hosts" in network namespaces joined by veth pairs. Addresses (10.77.x.y) exist only
 * inside the namespaces and nothing here touches the host's own interfaces, so mDNS traffic
 * of the tests never reaches a real network. Names carry the test process id, so concurrent
 * runs don't clash and leftovers of a killed run are swept on the next one.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

const PREFIX = 'fdt';

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Delete namespaces left by test runs whose process is gone (a crash or a kill -9). */
export function sweepStaleNamespaces(): void {
  for (const line of ip(['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = new RegExp(`^${PREFIX}(\\d+)x`).exec(name);
    if (!m || alive(Number(m[1]))) continue;
    for (const pid of ip(['netns', 'pids', name]).split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
    ip(['netns', 'del', name]);
  }
}

/** A veth pair from host A to a peer host (B, or C for a second, separate LAN). */
export interface Link {
  peerNs: string;
  ifA: string;
  ifB: string;
  ipA: string;
  ipB: string;
}

let counter = 0;

export class TwoHosts {
  readonly nsA: string;
  readonly nsB: string;
  /** a third host, created by addLink('C'): a second LAN of host A that host B is not on */
  readonly nsC: string;
  readonly links: Link[] = [];
  private readonly children = new Set<ChildProcess>();
  private readonly tag: string;
  private cCreated = false;

  constructor() {
    counter += 1;
    this.tag = `${PREFIX}${process.pid}x${counter}`;
    this.nsA = `${this.tag}a`;
    this.nsB = `${this.tag}b`;
    this.nsC = `${this.tag}c`;
  }

  /** Creates both namespaces and the first link; throws (the test fails) when it cannot. */
  create(): this {
    sweepStaleNamespaces();
    try {
      for (const ns of [this.nsA, this.nsB]) {
        ip(['netns', 'add', ns]);
        ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      }
      this.addLink('B');
    } catch (err) {
      this.destroy();
      const detail = err instanceof Error ? err.message : String(err);
      throw new Error(`cannot build the test network namespaces (root and iproute2 needed): ${detail}`);
    }
    return this;
  }

  /**
   * Another veth pair from host A, on its own subnet 10.77.<n>.0/24. A host's first link carries
   * its multicast route, so tools that don't pick an interface send there.
   */
  addLink(peer: 'B' | 'C' = 'B'): Link {
    const n = this.links.length;
    const id = String(this.links.length);
    const peerNs = peer === 'B' ? this.nsB : this.nsC;
    const firstOf = { [this.nsA]: n === 0, [peerNs]: this.links.every((l) => l.peerNs !== peerNs) };
    if (peer === 'C' && !this.cCreated) {
      ip(['netns', 'add', this.nsC]);
      ip(['-n', this.nsC, 'link', 'set', 'lo', 'up']);
      this.cCreated = true;
    }
    const link: Link = { peerNs, ifA: `${this.tag}A${id}`.slice(-15), ifB: `${this.tag}B${id}`.slice(-15), ipA: `10.77.${n + 1}.1`, ipB: `10.77.${n + 1}.2` };
    ip(['link', 'add', link.ifA, 'netns', this.nsA, 'type', 'veth', 'peer', 'name', link.ifB, 'netns', peerNs]);
    for (const [ns, dev, addr] of [[this.nsA, link.ifA, link.ipA], [peerNs, link.ifB, link.ipB]] as const) {
      // no IPv6: keeps router solicitations and MLD off the links, so packet counters mean "mDNS"
      this.exec(ns, ['sysctl', '-q', '-w', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
      ip(['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev]);
      ip(['-n', ns, 'link', 'set', dev, 'up']);
      if (firstOf[ns]) ip(['-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev]);
    }
    this.links.push(link);
    return link;
  }

  exec(ns: string, argv: string[], timeoutMs = 15_000): string {
    return execFileSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** A long-running process inside a namespace; killed by destroy() if still running. */
  spawn(ns: string, argv: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  /** Transmitted packets of an interface, from the kernel's counters. */
  txPackets(ns: string, dev: string): number {
    const stats = JSON.parse(ip(['-n', ns, '-s', '-j', 'link', 'show', dev])) as { stats64: { tx: { packets: number } } }[];
    return stats[0]!.stats64.tx.packets;
  }

  destroy(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const ns of [this.nsA, this.nsB, this.nsC]) {
      try {
        // daemons the tests started in there (avahi, dbus) would outlive the namespace otherwise
        for (const pid of ip(['netns', 'pids', ns]).split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
      } catch {
        // never created, or the processes are gone already
      }
      try {
        ip(['netns', 'del', ns]);
      } catch {
        // never created or already gone
      }
    }
  }
}
