/**
 * GET /api/server lists the interfaces mDNS could advertise on, even with mDNS off (the UI's
 * "Advertise on" choice needs them then too): every non-loopback IPv4 address of this host, each
 * marked whether the default "every LAN interface" takes it.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../../helpers/fleet';
import type { MdnsInterfaceChoice } from '../../../src/shared/api';

/** What the host has, read independently of the code under test. */
function hostIPv4(): { name: string; address: string }[] {
  return Object.entries(os.networkInterfaces()).flatMap(([name, infos]) =>
    (infos ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => ({ name, address: i.address })));
}

describe('server info: mDNS interface choices', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet(); // mdns: false, as with --no-mdns
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const available = async (): Promise<MdnsInterfaceChoice[]> => {
    const server = await t.admin('/api/server');
    expect(server.status).toBe(200);
    expect(server.json.mdns.state).toBe('off');
    return server.json.mdns.available as MdnsInterfaceChoice[];
  };

  it('lists every non-loopback IPv4 address, with mDNS off', async () => {
    const list = await available();
    const host = hostIPv4();
    // this suite needs a machine with a LAN-side address (CI containers have eth0)
    expect(host.length).toBeGreaterThan(0);
    expect(list.map(({ name, address }) => ({ name, address })).sort((a, b) => a.address.localeCompare(b.address)))
      .toEqual(host.sort((a, b) => a.address.localeCompare(b.address)));
    expect(list.some((c) => c.address.startsWith('127.'))).toBe(false);
    for (const choice of list) expect(typeof choice.advertisedByDefault).toBe('boolean');
  });

  it('marks the default selection: a plain LAN port is in, virtual bridges are out', async () => {
    for (const choice of await available()) {
      if (/^(docker\d*|virbr\d*|br-[0-9a-f]{6,})$/.test(choice.name)) expect(choice.advertisedByDefault).toBe(false);
      const bridged = existsSync(`/sys/class/net/${choice.name}/master`);
      if (/^(eth|en|wlan|wl)/.test(choice.name) && !bridged) expect(choice.advertisedByDefault).toBe(true);
    }
  });

  it('keeps listing every choice once the user picked one', async () => {
    const before = await available();
    const patched = await t.admin('/api/settings', { method: 'PATCH', body: { mdnsInterfaces: [before[0]!.name] } });
    expect(patched.json.mdnsInterfaces).toEqual([before[0]!.name]);
    expect(await available()).toEqual(before);
    expect((await t.admin('/api/settings', { method: 'PATCH', body: { mdnsInterfaces: ['x'.repeat(40)] } })).status).toBe(400);
  });
});
