/**
 * Discovery through the settings the operator edits: discovery wired to the real settings
 * service follows the instance name and the interface choice, with goodbyes where it stops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { TwoHosts } from './netns';
import { DEBIAN_PYTHON, FIXTURES, JsonLinesProcess, NODE_TS } from './processes';

describe('discovery follows the settings', () => {
  const hosts = new TwoHosts();
  let fleet: JsonLinesProcess;
  let client: JsonLinesProcess;

  beforeAll(async () => {
    hosts.create();
    client = JsonLinesProcess.spawn(hosts, hosts.nsB, 'python-zeroconf', [DEBIAN_PYTHON, path.join(FIXTURES, 'zeroconf_browse.py'), hosts.links[0]!.ipB]);
    await client.waitFor('ready', (l) => l.event === 'ready', 20_000);
    fleet = JsonLinesProcess.spawn(hosts, hosts.nsA, 'fleet discovery', [...NODE_TS, path.join(FIXTURES, 'fleet-discovery.ts'), '--port', '3000', '--id', 'fleet-42']);
    await fleet.waitFor('advertising', (l) => l.state === 'advertising', 20_000);
  });

  afterAll(async () => {
    await Promise.all([fleet.stop(), client.stop()]);
    hosts.destroy();
  });

  it('advertises with the default name, the device port and the server id', async () => {
    const up = await client.waitFor('found', (l) => l.event === 'up');
    expect(String(up.name)).toMatch(/^FleetDesk on .+\._fleetdesk\._tcp\.local\.$/);
    expect(up).toMatchObject({ port: 3000, addresses: [hosts.links[0]!.ipA], txt: { id: 'fleet-42', v: '1' } });
  });

  it('renaming in the settings re-announces under the new name', async () => {
    const from = client.lines.length;
    fleet.send({ settings: { mdnsName: 'Workshop' } });
    await client.waitFor('new name', (l) => l.event === 'up' && l.name === 'Workshop._fleetdesk._tcp.local.', 10_000, from);
    await client.waitFor('old name gone', (l) => l.event === 'down' && String(l.name).startsWith('FleetDesk on '), 10_000, from);
  });

  it('choosing an interface that is not there: goodbye on the old one, a clear message; back to all: advertised again', async () => {
    let from = client.lines.length;
    const fromState = fleet.lines.length;
    fleet.send({ settings: { mdnsInterfaces: ['nope0'] } });
    const state = await fleet.waitFor('error state', (l) => l.state === 'error', 10_000, fromState);
    expect(state.message).toMatch(/nope0/);
    await client.waitFor('goodbye', (l) => l.event === 'down' && l.name === 'Workshop._fleetdesk._tcp.local.', 5000, from);

    from = client.lines.length;
    fleet.send({ settings: { mdnsInterfaces: [] } });
    await fleet.waitFor('advertising again', (l) => l.state === 'advertising', 10_000, fromState);
    await client.waitFor('found again', (l) => l.event === 'up' && l.name === 'Workshop._fleetdesk._tcp.local.', 10_000, from);
  });
});
