/**
 * No device can be taken over from the LAN: a registration for a MAC that exists without its valid
 * token never gets a token silently, whatever the policy; the refusal is an event the operator sees.
 * The legacy protocol never serves a device that speaks v1, whatever its token state.
 */
import { describe, expect, it } from 'vitest';
import { useSecurityLab } from './lab';

describe('identity takeover from another host (network namespaces)', () => {
  const lab = useSecurityLab();

  async function events(deviceId: string, kind: string): Promise<{ kind: string; data: Record<string, unknown> | null }[]> {
    const res = await lab.admin('GET', `/api/events?deviceId=${encodeURIComponent(deviceId)}&kind=${kind}`);
    expect(res.status).toBe(200);
    return res.json;
  }

  for (const policy of ['open', 'key', 'approve'] as const) {
    it(`a legacy device cannot be claimed over v1 with {} (policy ${policy})`, async () => {
      const mac = `02:00:00:00:0${['open', 'key', 'approve'].indexOf(policy)}:01`;
      await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'open' });
      const legacy = await lab.lan('POST', `/api/devices/${mac}`, { body: { ipaddr: '10.77.1.2', ssid: 'shed' } });
      expect(legacy.status).toBe(200);
      await lab.admin('PUT', `/api/devices/${mac}/config`, { overrides: { wifiPassword: 'secret' } });
      await lab.admin('PATCH', '/api/settings', { registrationPolicy: policy, enrollmentKey: 'the-real-key' });

      const takeover = await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: {} });
      expect(JSON.stringify(takeover.json ?? {})).not.toContain('secret');
      if (policy === 'approve') {
        // waits as a claim the operator decides on: the claimant's token is worth nothing until then
        expect(takeover.status).toBe(202);
        expect(takeover.json).toMatchObject({ state: 'pending', claim: true });
        const waiting = await lab.lan('POST', `/api/v1/devices/${mac}/checkin`, { body: { cfgsn: 0 }, headers: { Authorization: `Bearer ${takeover.json.token as string}` } });
        expect(waiting.status).toBe(200);
        expect(waiting.json).toEqual({ state: 'pending', cfgsn: expect.any(Number), commands: [], interval: 30 });
        const claims = await lab.admin('GET', '/api/claims');
        expect(claims.json.items.find((c: { deviceId: string }) => c.deviceId === mac)).toMatchObject({
          kind: 'request', remoteAddress: lab.clientAddress, device: { protocol: 'legacy', hasToken: false },
        });
        expect((await events(mac, 'claim_requested')).length).toBe(1);
        // the operator rejects it: the claimant's token is refused from then on
        expect((await lab.admin('DELETE', `/api/claims/${mac}`)).status).toBe(204);
        const rejected = await lab.lan('POST', `/api/v1/devices/${mac}/checkin`, { body: { cfgsn: 0 }, headers: { Authorization: `Bearer ${takeover.json.token as string}` } });
        expect(rejected.status).toBe(401);
      } else {
        expect(takeover.json?.token, JSON.stringify(takeover.json)).toBeUndefined();
        expect(takeover.status).toBe(409);
        expect(takeover.json.error.code).toBe('conflict');
        expect((await events(mac, 'claim_refused')).length).toBeGreaterThan(0);
      }
      const detail = await lab.admin('GET', `/api/devices/${mac}`);
      expect(detail.json.protocol).toBe('legacy');
      // the legacy device itself is still served
      expect((await lab.lan('GET', `/api/devices/${mac}`)).status).toBe(200);
    });
  }

  it('a device whose credentials were reset cannot be claimed once the claim window is closed', async () => {
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'key', enrollmentKey: 'the-real-key' });
    const mac = '02:00:00:00:10:01';
    const reg = await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: { key: 'the-real-key' } });
    expect(reg.status).toBe(201);
    expect((await lab.admin('POST', `/api/devices/${mac}/reset-credentials`)).status).toBe(200);
    // the operator closes the window reset opened (or it expires)
    const claims = await lab.admin('GET', '/api/claims');
    expect(claims.json.items.find((c: { deviceId: string }) => c.deviceId === mac)).toMatchObject({ kind: 'window' });
    expect((await lab.admin('DELETE', `/api/claims/${mac}`)).status).toBe(204);

    const takeover = await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: {} });
    expect(takeover.status).toBe(409);
    expect(takeover.json.token).toBeUndefined();
    // with the enrollment key the device is accepted (an operator decision made in advance)
    const withKey = await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: { key: 'the-real-key' } });
    expect(withKey.status).toBe(201);
    expect(typeof withKey.json.token).toBe('string');
  });

  it('reset credentials opens a claim window for that device only', async () => {
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'open' });
    const [mine, other] = ['02:00:00:00:11:01', '02:00:00:00:11:02'];
    for (const mac of [mine, other]) expect((await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: {} })).status).toBe(201);
    await lab.admin('POST', `/api/devices/${mine}/reset-credentials`);
    await lab.admin('POST', `/api/devices/${other}/reset-credentials`);
    await lab.admin('DELETE', `/api/claims/${other}`);
    const claimed = await lab.lan('POST', `/api/v1/devices/${mine}/register`, { body: {} });
    expect(claimed.status).toBe(201);
    expect((await lab.lan('POST', `/api/v1/devices/${other}/register`, { body: {} })).status).toBe(409);
    // the window closes once used: a second claimant is refused
    expect((await lab.lan('POST', `/api/v1/devices/${mine}/register`, { body: {} })).status).toBe(409);
  });

  it('under approve, an approved claim hands the device to the claimant and locks the old token out', async () => {
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'open' });
    const mac = '02:00:00:00:13:01';
    const first = await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: {} });
    await lab.admin('PATCH', `/api/devices/${mac}`, { name: 'Boiler room' });
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'approve' });
    // the same hardware after losing its flash: no token
    const claim = await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: { fw: { name: 'fleetdesk-sming', version: '2.0.0' } } });
    expect(claim.status).toBe(202);
    const listed = (await lab.admin('GET', '/api/claims')).json.items.find((c: { deviceId: string }) => c.deviceId === mac);
    expect(listed).toMatchObject({ kind: 'request', fw: { version: '2.0.0' }, device: { name: 'Boiler room', hasToken: true } });
    expect((await lab.admin('POST', `/api/claims/${mac}/approve`)).status).toBe(200);
    const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
    expect((await lab.lan('POST', `/api/v1/devices/${mac}/checkin`, { body: { cfgsn: 0 }, headers: auth(claim.json.token) })).json.state).toBe('active');
    expect((await lab.lan('POST', `/api/v1/devices/${mac}/checkin`, { body: { cfgsn: 0 }, headers: auth(first.json.token) })).status).toBe(401);
    expect((await events(mac, 'claim_approved')).length).toBe(1);
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'open' });
  });

  it('pre-authorised MACs are admitted as active on first contact under approve, once', async () => {
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'approve' });
    const added = await lab.admin('POST', '/api/preauthorized', { macs: '02-00-00-00-14-01\n02:00:00:00:14:02, not-a-mac!', note: 'batch 7' });
    expect(added.status).toBe(201);
    expect(added.json).toEqual({ added: ['02:00:00:00:14:01', '02:00:00:00:14:02'], already: [], invalid: ['not-a-mac!'] });
    const reg = await lab.lan('POST', '/api/v1/devices/020000001401/register', { body: {} });
    expect(reg.status).toBe(201);
    expect(reg.json.state).toBe('active');
    const list = await lab.admin('GET', '/api/preauthorized');
    expect(list.json.items.map((p: { id: string }) => p.id)).toEqual(['02:00:00:00:14:02']);
    // not on the list: pending as usual
    expect((await lab.lan('POST', '/api/v1/devices/02:00:00:00:14:03/register', { body: {} })).json.state).toBe('pending');
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'open' });
  });

  it('a v1 device with reset credentials is never served by the legacy protocol', async () => {
    await lab.admin('PATCH', '/api/settings', { registrationPolicy: 'open' });
    const mac = '02:00:00:00:12:01';
    expect((await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: { ip: '10.77.1.2' } })).status).toBe(201);
    await lab.admin('PUT', `/api/devices/${mac}/config`, { overrides: { wifiPassword: 'secret' } });
    await lab.admin('POST', `/api/devices/${mac}/reset-credentials`);

    const read = await lab.lan('GET', `/api/devices/${mac}`);
    expect(read.status).toBe(403);
    expect(read.json.error.code).toBe('forbidden');
    expect(read.text ?? JSON.stringify(read.json)).not.toContain('secret');
    const write = await lab.lan('POST', `/api/devices/${mac}`, { body: { ipaddr: '10.66.66.66' } });
    expect(write.status).toBe(403);
    const detail = await lab.admin('GET', `/api/devices/${mac}`);
    expect(detail.json.ip).toBe('10.77.1.2');
    expect(detail.json.inSync).toBe(false);
  });
});
