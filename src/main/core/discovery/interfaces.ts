/**
 * Which network interfaces we advertise on. Pure selection logic over a snapshot of the
 * interfaces, plus one small reader of the kernel facts (/sys/class/net) that tell a LAN port
 * from a virtual bridge; the reader is injected so the rules are unit-tested without a network.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** One IPv4 address on one interface, as we advertise it. */
export interface LanAddress {
  name: string;
  address: string;
  /** dotted netmask, to tell which link a query came from */
  netmask: string;
}

/** What the kernel tells us about a link beyond its addresses. */
export interface LinkFacts {
  /** enslaved to a bridge/bond (has a master): its traffic belongs to the master */
  enslaved: boolean;
  /** IFF_MULTICAST is set; mDNS is meaningless without it (tun/wireguard lack it) */
  multicast: boolean;
}

export type LinkFactsReader = (name: string) => LinkFacts;
export type InterfaceSnapshot = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

const IFF_MULTICAST = 0x1000;

/** Reads /sys/class/net; unknown (non-Linux, missing file) means "a plain multicast link". */
export const readLinkFacts: LinkFactsReader = (name) => {
  const dir = `/sys/class/net/${name}`;
  let multicast = true;
  try {
    multicast = (Number.parseInt(readFileSync(`${dir}/flags`, 'utf8').trim(), 16) & IFF_MULTICAST) !== 0;
  } catch {
    // not Linux or no sysfs: assume multicast, the OS will refuse the membership if not
  }
  return { enslaved: existsSync(`${dir}/master`), multicast };
};

/**
 * Virtual bridges and container/VM plumbing that no ESP8266 can sit on. Names only where the
 * name is unambiguous: docker0, br-<hash> (docker networks), virbr (libvirt), lxcbr/lxdbr,
 * cni/flannel/cali (Kubernetes), vboxnet/vmnet (host-only VM networks). A plain `br0` may be the
 * user's real LAN bridge, and a `veth` without a master is a container's own LAN port, so those
 * are kept; veth halves plugged into a bridge are dropped by the `enslaved` fact instead.
 */
const VIRTUAL_NAME = /^(docker\d*|br-[0-9a-f]{6,}|virbr\d*|lxcbr\d*|lxdbr\d*|cni\d*|flannel\.?\d*|cali[0-9a-f]+|vboxnet\d*|vmnet\d*)/;

export function isVirtualBridgeName(name: string): boolean {
  return VIRTUAL_NAME.test(name);
}

function firstIPv4(infos: os.NetworkInterfaceInfo[] | undefined): os.NetworkInterfaceInfoIPv4[] {
  return (infos ?? []).filter((i): i is os.NetworkInterfaceInfoIPv4 => i.family === 'IPv4' && !i.internal);
}

/**
 * The addresses to advertise on. `wanted` = [] means "every LAN interface" (rules above);
 * a non-empty list is the user's choice and wins over the rules (they may know their br0 or
 * veth is the LAN), but loopback is never used and a missing interface is simply absent.
 */
export function selectLanAddresses(
  snapshot: InterfaceSnapshot,
  wanted: string[],
  facts: LinkFactsReader = readLinkFacts,
): LanAddress[] {
  const chosen: LanAddress[] = [];
  const names = wanted.length > 0 ? wanted : Object.keys(snapshot).sort();
  for (const name of names) {
    const v4 = firstIPv4(snapshot[name]);
    if (v4.length === 0) continue;
    if (wanted.length === 0) {
      if (isVirtualBridgeName(name)) continue;
      const f = facts(name);
      if (f.enslaved || !f.multicast) continue;
    }
    for (const a of v4) chosen.push({ name, address: a.address, netmask: a.netmask });
  }
  return dedupe(chosen);
}

function dedupe(list: LanAddress[]): LanAddress[] {
  const seen = new Set<string>();
  return list.filter((a) => (seen.has(a.address) ? false : (seen.add(a.address), true)));
}

/** Stable key of a selection, to notice changes between polls. */
export function selectionKey(list: LanAddress[]): string {
  return list.map((a) => `${a.name}=${a.address}/${a.netmask}`).sort().join(',');
}

function ipv4ToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return -1;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** True when `ip` is on the same IPv4 subnet as `lan`. */
export function onSameSubnet(lan: Pick<LanAddress, 'address' | 'netmask'>, ip: string): boolean {
  const a = ipv4ToInt(lan.address);
  const m = ipv4ToInt(lan.netmask);
  const b = ipv4ToInt(ip);
  if (a < 0 || m < 0 || b < 0) return false;
  return ((a & m) >>> 0) === ((b & m) >>> 0);
}
