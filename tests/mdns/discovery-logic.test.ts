/**
 * The pure parts of discovery: which interfaces are advertised on, names, legacy answers and
 * the conflict tie-break. No sockets here (this runs in the host's namespace).
 */
import { describe, expect, it } from 'vitest';
import type os from 'node:os';
import { looksLikeEsp } from '../../src/main/core/discovery/browse';
import { advertisedUrls, DISCOVERY_DISABLED } from '../../src/main/core/discovery/index';
import { onSameSubnet, selectLanAddresses, type LinkFacts } from '../../src/main/core/discovery/interfaces';
import { baseInstanceName, hostLabel, nthInstanceName } from '../../src/main/core/discovery/names';
import { foreignRecords, losesTiebreak } from '../../src/main/core/discovery/probe';
import { answersFor, linkRecords, serviceRecords } from '../../src/main/core/discovery/records';

const v4 = (address: string, internal = false): os.NetworkInterfaceInfo => ({
  address, netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal, cidr: `${address}/24`,
});
const v6 = (address: string): os.NetworkInterfaceInfo => ({
  address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: `${address}/64`, scopeid: 0,
});

describe('selectLanAddresses', () => {
  const snapshot = {
    lo: [v4('127.0.0.1', true)],
    eth0: [v4('192.0.2.10'), v6('fe80::1')],
    wlan0: [v4('198.51.100.7')],
    docker0: [v4('172.17.0.1')],
    'br-3f2a9c1d7e4b': [v4('172.18.0.1')],
    virbr0: [v4('192.168.122.1')],
    veth12ab: [v4('10.0.3.2')], // a container's own LAN port: kept
    vethbr: [v4('10.0.4.2')], // plugged into a bridge: dropped
    tun0: [v4('10.8.0.2')], // no multicast: dropped
    br0: [v4('203.0.113.5')], // may be the real LAN bridge: kept
    eth1: [v6('fe80::2')], // IPv6 only: nothing to advertise
  };
  const facts = (name: string): LinkFacts => ({ enslaved: name === 'vethbr', multicast: name !== 'tun0' });

  it('defaults to every LAN interface, leaving out loopback, docker/libvirt bridges, bridge ports and non-multicast links', () => {
    expect(selectLanAddresses(snapshot, [], facts).map((a) => a.name)).toEqual(['br0', 'eth0', 'veth12ab', 'wlan0']);
  });

  it('an explicit choice wins over the rules, but missing or address-less interfaces are simply absent', () => {
    const chosen = selectLanAddresses(snapshot, ['docker0', 'eth1', 'gone0', 'lo'], facts);
    expect(chosen).toEqual([{ name: 'docker0', address: '172.17.0.1', netmask: '255.255.255.0' }]);
  });

  it('no network at all gives an empty selection, not an error', () => {
    expect(selectLanAddresses({ lo: [v4('127.0.0.1', true)] }, [], facts)).toEqual([]);
  });

  it('onSameSubnet tells which link a source address is on', () => {
    const lan = { address: '10.77.1.1', netmask: '255.255.255.0' };
    expect(onSameSubnet(lan, '10.77.1.200')).toBe(true);
    expect(onSameSubnet(lan, '10.77.2.2')).toBe(false);
    expect(onSameSubnet(lan, 'not-an-ip')).toBe(false);
  });
});

describe('names', () => {
  it('defaults to "FleetDesk on <host>" from the first label of the host name', () => {
    expect(baseInstanceName('', 'lab-pc.example.org')).toBe('FleetDesk on lab-pc');
    expect(baseInstanceName('  ', 'x')).toBe('FleetDesk on x');
    expect(hostLabel('Büro_PC.local')).toBe('B-ro-PC');
    expect(hostLabel('')).toBe('fleetdesk');
  });

  it('keeps a user name as one label of at most 63 bytes, dots made dashes as bonjour-service does', () => {
    expect(baseInstanceName('Lab v2.1', 'x')).toBe('Lab v2-1');
    expect(Buffer.byteLength(baseInstanceName('é'.repeat(40), 'x'))).toBeLessThanOrEqual(63);
  });

  it('renames "Name" → "Name (2)" … and still fits one label', () => {
    expect(nthInstanceName('FleetDesk on lab', 1)).toBe('FleetDesk on lab');
    expect(nthInstanceName('FleetDesk on lab', 3)).toBe('FleetDesk on lab (3)');
    const long = nthInstanceName('x'.repeat(63), 12);
    expect(long.endsWith(' (12)')).toBe(true);
    expect(Buffer.byteLength(long)).toBe(63);
  });
});

describe('records and legacy answers', () => {
  const id = { instanceName: 'FleetDesk on lab', host: 'lab.local', port: 8080, serverId: 'srv-1' };
  const records = linkRecords(id, '10.77.1.1');

  it('carry the service type, TXT v/api/legacy/id and only the given address', () => {
    const txt = records.find((r) => r.type === 'TXT')!;
    expect((txt.data as Buffer[]).map(String)).toEqual(['v=1', 'api=/api/v1', 'legacy=/api', 'id=srv-1']);
    expect(records.filter((r) => r.type === 'A').map((r) => r.data)).toEqual(['10.77.1.1']);
    expect(records.some((r) => r.type === 'AAAA')).toBe(false);
    expect(records.find((r) => r.type === 'SRV')!.data).toMatchObject({ port: 8080, target: 'lab.local' });
  });

  it('answer a PTR question with SRV, TXT and A as additionals, TTL ≤ 10 s, no cache-flush bit', () => {
    const { answers, additionals } = answersFor(records, [{ name: '_FleetDesk._tcp.local', type: 'PTR' }]);
    expect(answers.map((r) => [r.type, r.data])).toEqual([['PTR', 'FleetDesk on lab._fleetdesk._tcp.local']]);
    expect(additionals.map((r) => r.type).sort()).toEqual(['A', 'SRV', 'TXT']);
    expect([...answers, ...additionals].every((r) => r.ttl <= 10 && !r.flush)).toBe(true);
  });

  it('answer nothing for names we do not own', () => {
    expect(answersFor(records, [{ name: '_http._tcp.local', type: 'PTR' }]).answers).toEqual([]);
  });
});

describe('conflicts', () => {
  const claimOf = (host: string, serverId: string) => {
    const id = { instanceName: 'Twin', host, port: 8080, serverId };
    const recs = serviceRecords(id).filter((r) => r.type === 'SRV' || r.type === 'TXT');
    return { fqdn: 'Twin._fleetdesk._tcp.local', records: recs };
  };
  const a = claimOf('hosta.local', 'one');
  const b = claimOf('hostb.local', 'two');

  it('our own records echoed back are not a conflict; another server\'s are', () => {
    expect(foreignRecords(a, a.records)).toEqual([]);
    expect(foreignRecords(a, b.records)).toHaveLength(2);
    expect(foreignRecords(a, [{ ...b.records[0]!, name: 'Other._fleetdesk._tcp.local' }])).toEqual([]);
  });

  it('the tie-break picks exactly one loser, the same one from both sides', () => {
    expect(losesTiebreak(a, b.records)).toBe(true);
    expect(losesTiebreak(b, a.records)).toBe(false);
  });
});

describe('looksLikeEsp', () => {
  it('takes ESP firmwares\' default names and a MAC in TXT, not a printer', () => {
    expect(looksLikeEsp({ name: 'esp-a1b2c3', host: 'x.local', txt: {} })).toBe(true);
    expect(looksLikeEsp({ name: 'kitchen', host: 'tasmota-1234.local', txt: {} })).toBe(true);
    expect(looksLikeEsp({ name: 'kitchen', host: 'k.local', txt: { mac: 'aa:bb:cc:dd:ee:ff' } })).toBe(true);
    expect(looksLikeEsp({ name: 'office-printer', host: 'printer.local', txt: {} })).toBe(false);
  });
});

describe('advertisedUrls', () => {
  it('gives the URL devices will use on each advertised address, none when mDNS is off', () => {
    const state = { ...DISCOVERY_DISABLED, enabled: true, state: 'advertising' as const, interfaces: [{ name: 'eth0', address: '192.0.2.10' }] };
    expect(advertisedUrls(state, 8080)).toEqual(['http://192.0.2.10:8080/api/v1']);
    expect(advertisedUrls(DISCOVERY_DISABLED, 8080)).toEqual([]);
  });
});
