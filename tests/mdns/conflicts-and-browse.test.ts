/**
 * Two FleetDesk servers on one LAN end up with distinct instance names
 * (RFC 6762 §8–9), and devices advertising themselves show up in seen().
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { TwoHosts } from './netns';
import { DEBIAN_PYTHON, FIXTURES, JsonLinesProcess, NODE_TS, type Line } from './processes';

describe('two FleetDesk servers on one LAN', () => {
  const hosts = new TwoHosts();
  const running: JsonLinesProcess[] = [];
  const advertise = (ns: string, label: string, id: string, name: string, extra: string[] = []): JsonLinesProcess => {
    const p = JsonLinesProcess.spawn(hosts, ns, label, [...NODE_TS, path.join(FIXTURES, 'advertise.ts'), '--hostname', label, '--id', id, '--name', name, ...extra]);
    running.push(p);
    return p;
  };
  const advertised = async (p: JsonLinesProcess): Promise<string> =>
    String((await p.waitFor('advertising', (l) => l.state === 'advertising', 20_000)).name);

  beforeAll(() => void hosts.create());
  afterEach(async () => {
    await Promise.all(running.map((p) => p.stop()));
    running.length = 0;
  });
  afterAll(() => hosts.destroy());

  it('the second one to start probes, finds the name taken and renames itself "… (2)"', async () => {
    const first = advertise(hosts.nsA, 'hosta', 'server-one', 'FleetDesk on lab');
    expect(await advertised(first)).toBe('FleetDesk on lab');
    const second = advertise(hosts.nsB, 'hostb', 'server-two', 'FleetDesk on lab');
    expect(await advertised(second)).toBe('FleetDesk on lab (2)');

    // an independent client sees both, told apart by the server id in TXT
    const client = JsonLinesProcess.spawn(hosts, hosts.nsB, 'python-zeroconf', [DEBIAN_PYTHON, path.join(FIXTURES, 'zeroconf_browse.py'), hosts.links[0]!.ipB]);
    running.push(client);
    const one = await client.waitFor('first server', (l) => l.event === 'up' && l.name === 'FleetDesk on lab._fleetdesk._tcp.local.');
    const two = await client.waitFor('second server', (l) => l.event === 'up' && l.name === 'FleetDesk on lab (2)._fleetdesk._tcp.local.');
    expect([(one.txt as { id: string }).id, (two.txt as { id: string }).id]).toEqual(['server-one', 'server-two']);
    expect(one.addresses).toEqual([hosts.links[0]!.ipA]);
    expect(two.addresses).toEqual([hosts.links[0]!.ipB]);
    // the first one kept its name: it defended it rather than renaming
    expect(first.lines.filter((l) => l.state === 'advertising').map((l) => l.name)).toEqual(['FleetDesk on lab']);
  });

  it('started at the same moment (probes overlapping), they still get distinct names', async () => {
    const startAt = ['--start-at', String(Date.now() + 4000)]; // both processes are up by then
    const a = advertise(hosts.nsA, 'hosta', 'server-one', 'Twin', startAt);
    const b = advertise(hosts.nsB, 'hostb', 'server-two', 'Twin', startAt);
    const names = await Promise.all([advertised(a), advertised(b)]);
    expect(names.sort()).toEqual(['Twin', 'Twin (2)']);
  });

  it('a conflict after announcing (RFC 6762 §9) is resolved: the losing side renames', async () => {
    const ours = advertise(hosts.nsA, 'hosta', 'server-one', 'Clash');
    expect(await advertised(ours)).toBe('Clash');
    const from = ours.lines.length;
    // the rogue's records sort after ours ("zzz-rogue.local" > "hosta.local"), so we lose the tie-break
    const rogue = JsonLinesProcess.spawn(hosts, hosts.nsB, 'rogue', [...NODE_TS, path.join(FIXTURES, 'device.ts'), '--interface', hosts.links[0]!.ipB, '--claim', 'Clash']);
    running.push(rogue);
    const renamed = await ours.waitFor('renamed', (l) => l.state === 'advertising' && l.name === 'Clash (2)', 10_000, from);
    expect(renamed.interfaces).toEqual([{ name: hosts.links[0]!.ifA, address: hosts.links[0]!.ipA }]);
  });
});

describe('devices seen on the network', () => {
  const hosts = new TwoHosts();
  beforeAll(() => void hosts.create());
  afterAll(() => hosts.destroy());

  it('lists our firmware and ESP-looking web servers with their address and MAC, and drops them on goodbye', async () => {
    const link = hosts.links[0]!;
    const advertiser = JsonLinesProcess.spawn(hosts, hosts.nsA, 'advertiser', [...NODE_TS, path.join(FIXTURES, 'advertise.ts'), '--hostname', 'hosta']);
    await advertiser.waitFor('advertising', (l) => l.state === 'advertising', 15_000);
    const devices = JsonLinesProcess.spawn(hosts, hosts.nsB, 'devices', [...NODE_TS, path.join(FIXTURES, 'device.ts'), '--interface', link.ipB]);
    type Seen = { fqdn: string; kind: string; mac: string | null; fw: string | null; addresses: string[]; port: number; interface: string };
    const seenOf = (l: Line): Seen[] => (l.seen as Seen[] | undefined) ?? [];
    const state = await advertiser.waitFor('both seen', (l) => seenOf(l).length === 2, 15_000);
    const seen = seenOf(state).sort((x, y) => x.kind.localeCompare(y.kind));
    expect(seen).toEqual([
      expect.objectContaining({ fqdn: 'esp-a1b2c3._fleetdesk-dev._tcp.local', kind: 'fleetdesk-dev', mac: 'a4:cf:12:a1:b2:c3', fw: '1.2.3', port: 80, interface: link.ifA }),
      expect.objectContaining({ fqdn: 'esp-a1b2c3._http._tcp.local', kind: 'http', mac: null, port: 80 }),
    ]);
    expect(seen[0]!.addresses).toContain(link.ipB);

    const from = advertiser.lines.length;
    await devices.stop();
    await advertiser.waitFor('gone after goodbye', (l) => l.event === 'state' && seenOf(l).length === 0, 5000, from);
    await advertiser.stop();
  });
});
