/**
 * Independent clients find the advertisement and resolve an address a device can
 * reach. Advertiser in namespace A, clients in namespace B, two veth links between them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { TwoHosts } from './netns';
import { DEBIAN_PYTHON, FIXTURES, JsonLinesProcess, NODE_TS, reportTiming, type Line } from './processes';

const SERVICE_NAME = 'FleetDesk on hosta';
const FQDN = `${SERVICE_NAME}._fleetdesk._tcp.local`;

describe('mDNS advertisement seen by independent clients', () => {
  const hosts = new TwoHosts();
  let advertiser: JsonLinesProcess;
  let upAt = 0;
  let startedAt = 0;
  const clients: Record<string, JsonLinesProcess> = {};

  beforeAll(async () => {
    hosts.create();
    hosts.addLink('C');
    const [l0, l1] = hosts.links;
    // clients first, so "found" measures the advertiser, not the client's start-up
    clients.bonjour = JsonLinesProcess.spawn(hosts, hosts.nsB, 'bonjour browser', [...NODE_TS, path.join(FIXTURES, 'browse.ts'), '--interface', l0!.ipB]);
    clients.zeroconf = JsonLinesProcess.spawn(hosts, hosts.nsB, 'python-zeroconf', [DEBIAN_PYTHON, path.join(FIXTURES, 'zeroconf_browse.py'), l0!.ipB]);
    clients.zeroconfLink1 = JsonLinesProcess.spawn(hosts, hosts.nsC, 'python-zeroconf (host C, 2nd LAN)', [DEBIAN_PYTHON, path.join(FIXTURES, 'zeroconf_browse.py'), l1!.ipB]);
    clients.avahi = JsonLinesProcess.spawn(hosts, hosts.nsB, 'avahi-browse', ['unshare', '-m', 'sh', path.join(FIXTURES, 'avahi-browse.sh'), l0!.ifB]);
    await Promise.all(Object.values(clients).map((c) => c.waitFor('ready', (l) => l.event === 'ready', 20_000)));
    advertiser = JsonLinesProcess.spawn(hosts, hosts.nsA, 'advertiser', [...NODE_TS, path.join(FIXTURES, 'advertise.ts'), '--port', '8080', '--hostname', 'hosta', '--id', 'server-one']);
    upAt = (await advertiser.waitFor('advertising', (l) => l.state === 'advertising', 15_000)).t;
    startedAt = advertiser.find((l) => l.state === 'starting')!.t;
  });

  /** "Advertiser up": the 'advertising' state, reached when probing is done, just before the first announcement. */
  const report = (what: string, foundAt: number): void => {
    reportTiming(what, '"advertiser up"', upAt, foundAt);
    reportTiming(what, 'discovery.start() (probing included)', startedAt, foundAt);
  };

  afterAll(async () => {
    await Promise.all(Object.values(clients).map((c) => c.stop()));
    hosts.destroy();
  });

  it('advertises on every LAN interface by default, each with its own address', () => {
    const state = advertiser.find((l) => l.state === 'advertising')!;
    expect(state.name).toBe(SERVICE_NAME);
    expect(state.host).toBe('hosta.local');
    expect(state.interfaces).toEqual(expect.arrayContaining(hosts.links.map((l) => ({ name: l.ifA, address: l.ipA }))));
    expect(state.interfaces).toHaveLength(2);
  });

  it('(a) bonjour-service browser finds it with port, TXT and the address of its link', async () => {
    const up = await clients.bonjour!.waitFor('service up', (l) => l.event === 'up' && l.name === SERVICE_NAME);
    report('(a) bonjour-service browser found it', up.t);
    expect(up).toMatchObject({ port: 8080, host: 'hosta.local', txt: { v: '1', api: '/api/v1', legacy: '/api', id: 'server-one' } });
    expect(up.addresses).toEqual([hosts.links[0]!.ipA]);
  });

  it('(b) python3-zeroconf resolves it on each link to that link\'s address', async () => {
    const up = await clients.zeroconf!.waitFor('service up', (l) => l.event === 'up' && l.name === `${FQDN}.`);
    report('(b) python3-zeroconf resolved it', up.t);
    expect(up).toMatchObject({ port: 8080, server: 'hosta.local.', txt: { v: '1', api: '/api/v1', legacy: '/api', id: 'server-one' } });
    expect(up.addresses).toEqual([hosts.links[0]!.ipA]);
    const up1 = await clients.zeroconfLink1!.waitFor('service up', (l) => l.event === 'up' && l.name === `${FQDN}.`);
    expect(up1.addresses).toEqual([hosts.links[1]!.ipA]);
  });

  it('clients that start after the advertiser find it by asking (query → answer path)', async () => {
    const late = {
      'bonjour-service browser': JsonLinesProcess.spawn(hosts, hosts.nsB, 'late bonjour browser', [...NODE_TS, path.join(FIXTURES, 'browse.ts'), '--interface', hosts.links[0]!.ipB]),
      'python3-zeroconf': JsonLinesProcess.spawn(hosts, hosts.nsB, 'late python-zeroconf', [DEBIAN_PYTHON, path.join(FIXTURES, 'zeroconf_browse.py'), hosts.links[0]!.ipB]),
    };
    for (const [what, client] of Object.entries(late)) {
      const ready = await client.waitFor('ready', (l) => l.event === 'ready', 20_000);
      const up = await client.waitFor('service up', (l) => l.event === 'up' && String(l.name).startsWith(SERVICE_NAME));
      expect(up.addresses).toEqual([hosts.links[0]!.ipA]);
      reportTiming(`${what} started after the advertiser was up, found it`, 'the client was ready', ready.t, up.t);
    }
    await Promise.all(Object.values(late).map((c) => c.stop()));
  });

  it('(c) a one-shot legacy query to 224.0.0.251 gets a unicast reply (RFC 6762 §6.7)', () => {
    const out = hosts.exec(hosts.nsB, [...NODE_TS, path.join(FIXTURES, 'legacy-query.ts'), '--wait', '1500']);
    const lines = out.trim().split('\n').map((s) => JSON.parse(s) as Line);
    const replies = lines.filter((l) => l.event === 'reply');
    expect(replies).toHaveLength(1); // answered once, by the link on the querier's subnet
    const reply = replies[0]!;
    reportTiming('(c) legacy query to 224.0.0.251 answered', 'the query was sent', lines.find((l) => l.event === 'sent')!.t, reply.t);
    expect(reply.from).toBe(`${hosts.links[0]!.ipA}:5353`);
    expect(reply.id).toBe(reply.sentId);
    expect(reply.questions).toEqual([{ name: '_fleetdesk._tcp.local', type: 'PTR', class: 'IN' }]);
    expect(reply.answers).toEqual([{ name: '_fleetdesk._tcp.local', type: 'PTR', ttl: 10, flush: false, data: FQDN }]);
    const additionals = reply.additionals as { type: string; ttl: number; data: unknown }[];
    expect(additionals.find((r) => r.type === 'A')?.data).toBe(hosts.links[0]!.ipA);
    expect(additionals.find((r) => r.type === 'SRV')?.data).toMatchObject({ port: 8080, target: 'hosta.local' });
    expect(additionals.every((r) => r.ttl <= 10)).toBe(true);
  });

  it('(c) dig, one-shot legacy query to the responder, gets the PTR, SRV, TXT and A', () => {
    const started = Date.now();
    const out = hosts.exec(hosts.nsB, ['dig', '+time=2', '+tries=1', '-p', '5353', `@${hosts.links[0]!.ipA}`, '_fleetdesk._tcp.local', 'PTR']);
    reportTiming('(c) dig -p 5353 @<responder> completed (process run time)', 'dig was started', started, Date.now());
    expect(out).toMatch(/status: NOERROR/);
    expect(out).toMatch(/_fleetdesk\._tcp\.local\.\s+10\s+IN\s+PTR\s+FleetDesk\\032on\\032hosta\._fleetdesk\._tcp\.local\./);
    expect(out).toMatch(/hosta\.local\.\s+10\s+IN\s+A\s+10\.77\.1\.1/);
    expect(out).toMatch(/TXT\s+"v=1" "api=\/api\/v1" "legacy=\/api" "id=server-one"/);
  });

  it('(d) avahi-browse, with its own avahi-daemon in the namespace, resolves it', async () => {
    // avahi-browse -p: "=;iface;IPv4;name;type;domain;host;address;port;txt", spaces as \032
    const isOurs = (l: Line): boolean => l.event === 'line' && String(l.raw).startsWith('=;') && String(l.raw).includes(';FleetDesk\\032on\\032hosta;');
    const resolved = await clients.avahi!.waitFor('resolved', isOurs);
    report('(d) avahi-browse resolved it', resolved.t);
    const [, iface, , , type, , host, address, port, txt] = String(resolved.raw).split(';');
    expect({ iface, type, host, address, port }).toEqual({ iface: hosts.links[0]!.ifB, type: '_fleetdesk._tcp', host: 'hosta.local', address: hosts.links[0]!.ipA, port: '8080' });
    for (const kv of ['v=1', 'api=/api/v1', 'legacy=/api', 'id=server-one']) expect(txt).toContain(`"${kv}"`);
  });

  it('an identity change re-announces: goodbye to the old name, the new one is found', async () => {
    const from = clients.zeroconf!.lines.length;
    advertiser.send({ update: { instanceName: 'Lab server' } });
    await clients.zeroconf!.waitFor('old name gone', (l) => l.event === 'down' && l.name === `${FQDN}.`, 10_000, from);
    const up = await clients.zeroconf!.waitFor('new name up', (l) => l.event === 'up' && l.name === 'Lab server._fleetdesk._tcp.local.', 10_000, from);
    expect(up.addresses).toEqual([hosts.links[0]!.ipA]);
  });

  it('sends goodbyes (TTL 0) on stop: every client drops the service at once', async () => {
    const stoppedAt = Date.now();
    await advertiser.stop();
    expect(advertiser.find((l) => l.event === 'stopped')).toBeTruthy();
    const gone = await clients.zeroconf!.waitFor('down', (l) => l.event === 'down' && l.name === 'Lab server._fleetdesk._tcp.local.', 3000);
    await clients.bonjour!.waitFor('down', (l) => l.event === 'down', 3000);
    await clients.zeroconfLink1!.waitFor('down', (l) => l.event === 'down' && l.name === 'Lab server._fleetdesk._tcp.local.', 3000);
    await clients.avahi!.waitFor('down', (l) => l.event === 'line' && String(l.raw).startsWith('-;') && String(l.raw).includes(';Lab\\032server;'), 3000);
    reportTiming('goodbye: python3-zeroconf dropped the service', 'SIGTERM to the advertiser', stoppedAt, gone.t);
  });
});
