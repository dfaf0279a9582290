/**
 * Nothing a stranger sends can grow the fleet without bound: every route that creates a device
 * (v1 register, legacy POST) spends a global budget of new devices per minute and one per network
 * (/24, /64); the fleet and the pending list have caps. Refusals are clear errors, events, and a
 * state the UI shows as a banner. All from another host: loopback would be exempt.
 */
import { describe, expect, it } from 'vitest';
import { useSecurityLab } from './lab';

describe('new-device budgets and caps from another host (network namespaces)', () => {
  const lab = useSecurityLab();

  let seq = 0;
  const mac = (): string => `02:aa:00:00:${(++seq >> 8).toString(16).padStart(2, '0')}:${(seq & 255).toString(16).padStart(2, '0')}`;
  const budget = (perNetwork: number, global: number) =>
    lab.admin('PATCH', '/api/settings', { registrationPolicy: 'open', newDevicesPerNetworkPerMinute: perNetwork, newDevicesPerMinute: global });

  it('legacy registration from one address stops at the per-network budget', async () => {
    expect((await budget(5, 1000)).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await lab.lan('POST', `/api/devices/${mac()}`, { body: { ipaddr: '10.77.1.2' } })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    const refused = await lab.lan('POST', `/api/devices/${mac()}`, { body: { ipaddr: '10.77.1.2' } });
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const limits = await lab.admin('GET', '/api/limits');
    expect(limits.json.recent.some((h: { kind: string }) => h.kind === 'network_budget')).toBe(true);
  });

  it('40 addresses of one /24 share one budget (v1 and legacy alike)', async () => {
    await budget(6, 1000);
    let created = 0;
    for (let i = 1; i <= 40; i++) {
      const from = lab.addClientAddress(`10.77.30.${i}`);
      const path = i % 2 === 0 ? `/api/v1/devices/${mac()}/register` : `/api/devices/${mac()}`;
      const res = await lab.lan('POST', path, { body: {}, from });
      if (res.status === 200 || res.status === 201) created += 1;
      else expect(res.status).toBe(429);
    }
    expect(created).toBe(6);
  });

  it('the global budget caps the sum over networks', async () => {
    await budget(5, 12);
    let created = 0;
    for (let net = 40; net < 44; net++) {
      for (let i = 0; i < 5; i++) {
        const res = await lab.lan('POST', `/api/v1/devices/${mac()}/register`, { body: {}, from: lab.addClientAddress(`10.77.${net}.2`) });
        if (res.status === 201) created += 1;
      }
    }
    expect(created).toBe(12);
  });

  it('the fleet cap refuses new devices with a clear error, an event and the limits state', async () => {
    await budget(1000, 1000);
    const before = (await lab.admin('GET', '/api/limits')).json;
    expect(before.fleet.cap).toBe(50_000);
    await lab.admin('PATCH', '/api/settings', { fleetCap: before.fleet.devices + 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await lab.lan('POST', `/api/v1/devices/${mac()}/register`, { body: {} })).status);
    expect(statuses).toEqual([201, 201, 201]);
    for (const path of [`/api/v1/devices/${mac()}/register`, `/api/devices/${mac()}`]) {
      const full = await lab.lan('POST', path, { body: {} });
      expect(full.status).toBe(503);
      expect(full.json.error.code).toBe('capacity_reached');
      expect(full.json.error.message).toMatch(/fleet/i);
    }
    const after = (await lab.admin('GET', '/api/limits')).json;
    expect(after.fleet.devices).toBe(before.fleet.devices + 3);
    expect(after.recent.find((h: { kind: string }) => h.kind === 'fleet_cap')).toMatchObject({ count: 2 });
    const events = await lab.admin('GET', '/api/events?kind=limit_reached');
    expect(events.json.some((e: { data: { kind: string } }) => e.data.kind === 'fleet_cap')).toBe(true);
    await lab.admin('PATCH', '/api/settings', { fleetCap: 50_000 });
  });

  it('the pending cap holds under approve, for v1, legacy and claims', async () => {
    await budget(1000, 1000);
    const { pending } = (await lab.admin('GET', '/api/limits')).json;
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'approve', pendingCap: pending.count + 2 });
    expect((await lab.lan('POST', `/api/v1/devices/${mac()}/register`, { body: {} })).json.state).toBe('pending');
    expect((await lab.lan('POST', `/api/devices/${mac()}`, { body: {} })).json.state).toBe('pending');
    const full = await lab.lan('POST', `/api/devices/${mac()}`, { body: {} });
    expect(full.status).toBe(503);
    expect(full.json.error.code).toBe('capacity_reached');
    expect(full.json.error.message).toMatch(/pending/i);
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'open', pendingCap: 500 });
  });

  it('loopback is exempt from the budgets by default (simulator, bench)', async () => {
    await budget(1, 1);
    for (let i = 0; i < 3; i++) expect((await lab.local('POST', `/api/v1/devices/${mac()}/register`, {})).status).toBe(201);
    await budget(1000, 1000);
  });
});
