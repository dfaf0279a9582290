/**
 * GET /api/firmware/:fid/devices: the devices an image reaches (own assignment or their profile's)
 * and the rollout on each — offered, downloading, updated, failed with the device's message —
 * driven by devices over the real v1 protocol.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerDevice, startTestFleet, type TestFleet } from '../../helpers/fleet';

const DIRECT = 'aa:bb:cc:00:f1:01';
const VIA_PROFILE = 'aa:bb:cc:00:f1:02';
const OVERRIDDEN = 'aa:bb:cc:00:f1:03'; // in the profile, but its own assignment is another image
const UNRELATED = 'aa:bb:cc:00:f1:04';

interface Row { id: string; name: string; via: string; profileName: string | null; fwVersion: string | null; firmwareUpdate: { state: string; message?: string; at?: number } }

describe('firmware rollout per device', () => {
  let t: TestFleet;
  const tokens: Record<string, string> = {};
  let fid: number;
  let otherFid: number;
  const upload = async (version: string) =>
    (await t.admin(`/api/firmware?name=sensor&version=${version}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from(`image ${version}`) })).json.id as number;
  const checkin = (mac: string, body: Record<string, unknown>) => t.device(`/api/v1/devices/${mac}/checkin`, { headers: bearer(tokens[mac]!), body });
  const rows = async (): Promise<Row[]> => {
    const res = await t.admin(`/api/firmware/${fid}/devices`);
    expect(res.status).toBe(200);
    return res.json as Row[];
  };
  const stateOf = async (mac: string) => (await rows()).find((r) => r.id === mac)?.firmwareUpdate;

  beforeAll(async () => {
    t = await startTestFleet();
    for (const mac of [DIRECT, VIA_PROFILE, OVERRIDDEN, UNRELATED]) {
      tokens[mac] = await registerDevice(t, mac, { fw: { name: 'sensor', version: '1.0.0' } });
    }
    fid = await upload('2.0.0');
    otherFid = await upload('3.0.0');
    const profile = (await t.admin('/api/profiles', { body: { name: 'Sensors' } })).json as { id: number };
    for (const mac of [VIA_PROFILE, OVERRIDDEN]) await t.admin(`/api/devices/${mac}`, { method: 'PATCH', body: { profileId: profile.id } });
    await t.admin(`/api/devices/${DIRECT}`, { method: 'PATCH', body: { name: 'Bench unit' } });
    await t.admin(`/api/firmware/${fid}/assign`, { body: { profileId: profile.id } });
    await t.admin(`/api/firmware/${fid}/assign`, { body: { deviceIds: [DIRECT] } });
    await t.admin(`/api/firmware/${otherFid}/assign`, { body: { deviceIds: [OVERRIDDEN] } });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('lists the devices assigned directly or through their profile, nothing else', async () => {
    const list = await rows();
    expect(list.map((r) => r.id).sort()).toEqual([DIRECT, VIA_PROFILE].sort());
    expect(list.find((r) => r.id === DIRECT)).toMatchObject({ name: 'Bench unit', via: 'device', fwVersion: '1.0.0', firmwareUpdate: { state: 'none' } });
    expect(list.find((r) => r.id === VIA_PROFILE)).toMatchObject({ via: 'profile', profileName: 'Sensors', firmwareUpdate: { state: 'none' } });
    expect((await t.admin(`/api/firmware/${otherFid}/devices`)).json.map((r: Row) => r.id)).toEqual([OVERRIDDEN]);
  });

  it('follows one device from offered through downloading to updated', async () => {
    const offered = await checkin(DIRECT, { fw: { version: '1.0.0' } });
    expect(offered.json.firmware?.id).toBe(fid);
    expect(await stateOf(DIRECT)).toMatchObject({ state: 'offered', at: expect.any(Number) });

    expect((await t.device(offered.json.firmware.url, { headers: bearer(tokens[DIRECT]!) })).status).toBe(200);
    expect((await stateOf(DIRECT))?.state).toBe('downloading');

    await checkin(DIRECT, { fw: { version: '2.0.0' } });
    const row = (await rows()).find((r) => r.id === DIRECT)!;
    expect(row.firmwareUpdate.state).toBe('updated');
    expect(row.fwVersion).toBe('2.0.0');
  });

  it('shows a failure with the message the device reported', async () => {
    await checkin(VIA_PROFILE, { fw: { version: '1.0.0' } });
    expect((await stateOf(VIA_PROFILE))?.state).toBe('offered');
    await checkin(VIA_PROFILE, { fw: { version: '1.0.0' }, ota: { id: fid, ok: false, message: 'md5 mismatch' } });
    expect(await stateOf(VIA_PROFILE)).toMatchObject({ state: 'failed', message: 'md5 mismatch' });
  });

  it("does not show another image's offer as this image's state", async () => {
    await checkin(OVERRIDDEN, { fw: { version: '1.0.0' } });
    expect((await t.admin(`/api/firmware/${otherFid}/devices`)).json[0].firmwareUpdate.state).toBe('offered');
    // re-assigned before its next check-in: the device still tracks the old offer
    await t.admin(`/api/firmware/${fid}/assign`, { body: { deviceIds: [OVERRIDDEN] } });
    expect(await stateOf(OVERRIDDEN)).toEqual({ state: 'none' });
    expect((await t.admin(`/api/firmware/${otherFid}/devices`)).json).toEqual([]);
  });

  it('answers 404 for an unknown image and 400 for a malformed id', async () => {
    expect((await t.admin('/api/firmware/99999/devices')).status).toBe(404);
    expect((await t.admin('/api/firmware/abc/devices')).status).toBe(400);
  });
});
