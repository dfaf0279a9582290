/** Identities for simulated devices: MACs that cannot collide with real hardware, and source addresses. */

/**
 * A locally administered unicast MAC (first byte 0x02) from an index. `prefix` keeps two
 * simulators with different state files apart.
 */
export function simulatedMac(index: number, prefix = 0x5e): string {
  const bytes = [0x02, prefix & 0xff, (index >>> 24) & 0xff, (index >>> 16) & 0xff, (index >>> 8) & 0xff, index & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * A distinct loopback source address per device (127.1.0.1, 127.1.0.2, …). Linux routes the whole
 * 127/8 to lo, so against a server on 127.0.0.1 every simulated device arrives from its own address,
 * as it would from its own LAN address: per-address limits (register) see a fleet, not one client.
 */
export function loopbackSourceAddress(index: number): string {
  const n = index + 1;
  return `127.${1 + ((n >>> 16) & 0x7f)}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || /^127\./.test(host);
}
