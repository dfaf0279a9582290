/**
 * A registered device cannot grow the audit log without bound: repeated events of one kind from
 * one device collapse into one entry with a count (the alternating cfgsn 0/1 attack).
 */
import { describe, expect, it } from 'vitest';
import { useSecurityLab } from './lab';

describe('audit log growth from another host (network namespaces)', () => {
  const lab = useSecurityLab();

  it('alternating cfgsn 0/1 collapses into one config_applied entry with a count', async () => {
    const mac = '02:bb:00:00:00:01';
    const reg = await lab.lan('POST', `/api/v1/devices/${mac}/register`, { body: {} });
    expect(reg.status).toBe(201);
    const auth = { Authorization: `Bearer ${reg.json.token as string}` };
    const rounds = 60;
    for (let i = 0; i < rounds; i++) {
      const res = await lab.lan('POST', `/api/v1/devices/${mac}/checkin`, { body: { cfgsn: i % 2 === 0 ? 1 : 0 }, headers: auth });
      expect(res.status).toBe(200);
    }
    const events = await lab.admin('GET', `/api/events?deviceId=${mac}&kind=config_applied`);
    expect(events.status).toBe(200);
    expect(events.json.length).toBeLessThanOrEqual(2);
    const counted = events.json.reduce((sum: number, e: { count?: number }) => sum + (e.count ?? 1), 0);
    expect(counted).toBe(rounds / 2);
  });
});
