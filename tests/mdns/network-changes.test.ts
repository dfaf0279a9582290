/**
 * Re-announce after an address change; an interface going down and up
 * gives a clear state and no crash; an interface left out is never advertised on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { TwoHosts } from './netns';
import { DEBIAN_PYTHON, FIXTURES, JsonLinesProcess, NODE_TS, reportTiming, type Line } from './processes';

type WireRecord = { name: string; type: string; ttl: number; data: unknown };
const aRecords = (l: Line): WireRecord[] =>
  l.event === 'response' ? (l.records as WireRecord[]).filter((r) => r.type === 'A' && r.name === 'hosta.local') : [];

describe('following the network', () => {
  const hosts = new TwoHosts();
  let advertiser: JsonLinesProcess;
  let listener: JsonLinesProcess;

  beforeAll(async () => {
    hosts.create();
    const link = hosts.links[0]!;
    // keep the other address when the first one is deleted (Linux drops secondaries otherwise)
    hosts.exec(hosts.nsA, ['sysctl', '-q', '-w', `net.ipv4.conf.${link.ifA}.promote_secondaries=1`]);
    listener = JsonLinesProcess.spawn(hosts, hosts.nsB, 'listener', [...NODE_TS, path.join(FIXTURES, 'listen.ts'), '--interface', link.ipB]);
    await listener.waitFor('ready', (l) => l.event === 'ready', 20_000);
    advertiser = JsonLinesProcess.spawn(hosts, hosts.nsA, 'advertiser', [...NODE_TS, path.join(FIXTURES, 'advertise.ts'), '--hostname', 'hosta', '--poll', '500']);
    await advertiser.waitFor('advertising', (l) => l.state === 'advertising', 15_000);
  });

  afterAll(() => hosts.destroy());

  it('re-announces after an address change: new A record, goodbye for the old one', async () => {
    const link = hosts.links[0]!;
    const from = listener.lines.length;
    const changedAt = Date.now();
    hosts.exec(hosts.nsA, ['ip', 'addr', 'add', '10.77.1.5/24', 'dev', link.ifA]);
    hosts.exec(hosts.nsA, ['ip', 'addr', 'del', `${link.ipA}/24`, 'dev', link.ifA]);
    const fresh = await listener.waitFor('new A record', (l) => aRecords(l).some((r) => r.data === '10.77.1.5' && r.ttl > 0), 10_000, from);
    await listener.waitFor('goodbye of the old A record', (l) => aRecords(l).some((r) => r.data === link.ipA && r.ttl === 0), 10_000, from);
    reportTiming('re-announce after an address change (poll 500 ms)', 'the change', changedAt, fresh.t);
    const state = await advertiser.waitFor('state with the new address', (l) => l.state === 'advertising' && JSON.stringify(l.interfaces) === JSON.stringify([{ name: link.ifA, address: '10.77.1.5' }]));
    expect(state.name).toBe('FleetDesk on hosta');

    // a client that starts now resolves the new address only
    const out = hosts.exec(hosts.nsB, [...NODE_TS, path.join(FIXTURES, 'legacy-query.ts'), '--name', 'hosta.local', '--type', 'A', '--wait', '1000']);
    const replies = out.trim().split('\n').map((s) => JSON.parse(s) as Line).filter((l) => l.event === 'reply');
    expect(replies.map((r) => (r.answers as WireRecord[]).map((a) => a.data))).toEqual([['10.77.1.5']]);
  });

  it('an interface going down gives a clear state, no crash; coming up re-advertises', async () => {
    const link = hosts.links[0]!;
    const fromState = advertiser.lines.length;
    hosts.exec(hosts.nsA, ['ip', 'link', 'set', link.ifA, 'down']);
    const down = await advertiser.waitFor('error state', (l) => l.state === 'error', 10_000, fromState);
    expect(down.interfaces).toEqual([]);
    expect(down.message).toMatch(/No LAN interface/);

    const from = listener.lines.length;
    hosts.exec(hosts.nsA, ['ip', 'link', 'set', link.ifA, 'up']);
    await advertiser.waitFor('advertising again', (l) => l.state === 'advertising', 10_000, fromState);
    await listener.waitFor('announcement', (l) => aRecords(l).some((r) => r.data === '10.77.1.5' && r.ttl > 0), 10_000, from);
  });
});

describe('an interface left out', () => {
  const hosts = new TwoHosts();

  beforeAll(() => {
    hosts.create();
    hosts.addLink('C');
  });

  afterAll(() => hosts.destroy());

  it('is never advertised on: no packet leaves it, its hosts find nothing', async () => {
    const [lan, leftOut] = [hosts.links[0]!, hosts.links[1]!];
    const outsider = JsonLinesProcess.spawn(hosts, hosts.nsC, 'python-zeroconf on the left-out LAN', [DEBIAN_PYTHON, path.join(FIXTURES, 'zeroconf_browse.py'), leftOut.ipB]);
    const insider = JsonLinesProcess.spawn(hosts, hosts.nsB, 'python-zeroconf on the chosen LAN', [DEBIAN_PYTHON, path.join(FIXTURES, 'zeroconf_browse.py'), lan.ipB]);
    await Promise.all([outsider, insider].map((c) => c.waitFor('ready', (l) => l.event === 'ready', 20_000)));
    const txBefore = hosts.txPackets(hosts.nsA, leftOut.ifA);

    const advertiser = JsonLinesProcess.spawn(hosts, hosts.nsA, 'advertiser', [...NODE_TS, path.join(FIXTURES, 'advertise.ts'), '--hostname', 'hosta', '--interfaces', lan.ifA]);
    const up = await advertiser.waitFor('advertising', (l) => l.state === 'advertising', 15_000);
    expect(up.interfaces).toEqual([{ name: lan.ifA, address: lan.ipA }]);
    const found = await insider.waitFor('found on the chosen LAN', (l) => l.event === 'up');
    expect(found.addresses).toEqual([lan.ipA]);

    // a one-shot query from the left-out LAN gets no answer either
    const out = hosts.exec(hosts.nsC, [...NODE_TS, path.join(FIXTURES, 'legacy-query.ts'), '--wait', '1500']);
    expect(out).not.toMatch(/"event":"reply"/);
    await advertiser.stop(); // goodbyes too must stay on the chosen LAN
    expect(outsider.lines.filter((l) => l.event !== 'ready')).toEqual([]);
    expect(hosts.txPackets(hosts.nsA, leftOut.ifA) - txBefore).toBe(0);
  });
});
