import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestFleet } from '../../helpers/fleet';
import {
  type ManualClock, ProtocolDevice, imageOf, manualClock, md5Of, rollout, startRolloutFleet, stateOf, tick, uploadImage,
} from './rollout-harness';

let t: TestFleet;
let clock: ManualClock;
const OLD = imageOf(4000, 3);
const NEW = imageOf(5000, 5);
const old = { name: 'app', version: '1.0.0', md5: md5Of(OLD) };
const newer = { version: '1.1.0', md5: md5Of(NEW) };
let newId: number;
const mac = (i: number) => `aa:bb:cc:00:02:${String(i + 10).padStart(2, '0')}`;

beforeEach(async () => {
  clock = manualClock();
  t = await startRolloutFleet(clock);
  await uploadImage(t, 'app', '1.0.0', OLD);
  newId = (await uploadImage(t, 'app', '1.1.0', NEW)).id;
});
afterEach(() => t.dispose());

const create = (body: Record<string, unknown>) => t.admin('/api/rollouts', { body: { firmwareId: newId, phases: [{ size: 1 }], maxConcurrent: 2, ...body } });

async function updateHealthy(dev: ProtocolDevice): Promise<void> {
  const offer = (await dev.checkin()).firmware;
  expect(offer?.id).toBe(newId);
  await dev.download(offer.url);
  dev.bootInto(newer);
  await dev.checkin();
  dev.boot.trial = false;
  await dev.checkin();
}

describe('who a rollout updates', () => {
  it('skips pinned, legacy, blocked, already updated and downgrading devices, each with its reason', async () => {
    const ok = await new ProtocolDevice(t, mac(0), { ...old }).register();
    const pinned = await new ProtocolDevice(t, mac(1), { ...old }).register();
    const onImage = await new ProtocolDevice(t, mac(2), { ...old, ...newer }).register();
    const newerFw = await new ProtocolDevice(t, mac(3), { ...old, version: '1.10.0', md5: md5Of(imageOf(10, 9)) }).register();
    const small = await new ProtocolDevice(t, mac(4), { ...old }, 1024 * 1024).register();
    const blocked = await new ProtocolDevice(t, mac(5), { ...old }).register();
    expect((await t.device(`/api/devices/${mac(6)}`, { body: { ipaddr: '10.0.0.6', ssid: 'x' } })).status).toBe(200);
    expect((await t.admin(`/api/devices/${pinned.mac}/firmware-pin`, { method: 'PUT', body: { pinned: true } })).json).toEqual({ pinned: true });
    expect((await t.admin(`/api/devices/${blocked.mac}/block`, { method: 'POST' })).status).toBe(200);
    const big = await uploadImage(t, 'app', '1.1.0-big', imageOf(0x7c000 + 1, 11));
    void ok; void onImage; void newerFw; void small;

    const all = Array.from({ length: 7 }, (_, i) => mac(i));
    const res = await create({ target: { devices: all } });
    expect(res.status, res.text).toBe(201);
    const reasons = Object.fromEntries((res.json.unassigned as { mac: string; reason: string }[]).map((d) => [d.mac, d.reason]));
    expect(reasons).toEqual({
      [mac(1)]: 'pinned', [mac(2)]: 'already_on_image', [mac(3)]: 'downgrade', [mac(5)]: 'not_eligible', [mac(6)]: 'legacy_cannot_update',
    });
    expect(res.json.unassigned.find((d: { mac: string }) => d.mac === mac(6)).message).toContain('cannot update');
    expect(res.json.phases.flatMap((p: { devices: { mac: string }[] }) => p.devices.map((d) => d.mac)).sort()).toEqual([mac(0), mac(4)]);
    // a pinned device is never offered anything by the rollout
    expect((await pinned.checkin()).firmware).toBeUndefined();
    // a device in a running rollout is not taken by a second one
    const second = await t.admin('/api/rollouts', { body: { firmwareId: big.id, target: { devices: [mac(0), mac(4)] }, phases: [{ size: 1 }], maxConcurrent: 1, allowDowngrade: true } });
    expect(second.status).toBe(409);
    expect(second.json.error.message).toContain('in other rollout');
  });

  it('never offers an image bigger than the OTA slot of the device\'s flash, and includes downgrades only when allowed', async () => {
    await new ProtocolDevice(t, mac(0), { ...old }, 1024 * 1024).register();
    await new ProtocolDevice(t, mac(1), { ...old, version: '2.0.0' }).register();
    const big = await uploadImage(t, 'app', '1.5.0', imageOf(0x7c000 + 1, 11));
    const res = await t.admin('/api/rollouts', { body: { firmwareId: big.id, target: { devices: [mac(0)] }, phases: [{ size: 1 }], maxConcurrent: 1 } });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('1 does not fit');
    const down = await create({ target: { devices: [mac(1)] }, allowDowngrade: true });
    expect(down.status, down.text).toBe(201);
    expect(down.json.phases[0].devices[0]).toMatchObject({ mac: mac(1), state: 'queued', fromVersion: '2.0.0' });
  });

  it('targets a profile, a tag or every outdated device, all given criteria together', async () => {
    for (let i = 0; i < 4; i++) await new ProtocolDevice(t, mac(i), i === 3 ? { ...old, name: 'other' } : { ...old }).register();
    const profile = (await t.admin('/api/profiles', { body: { name: 'Greenhouse' } })).json as { id: number };
    await t.admin(`/api/devices/${mac(0)}`, { method: 'PATCH', body: { profileId: profile.id, tags: ['east'] } });
    await t.admin(`/api/devices/${mac(1)}`, { method: 'PATCH', body: { profileId: profile.id } });
    const macs = (r: { json: { phases: { devices: { mac: string }[] }[] } }) => r.json.phases.flatMap((p) => p.devices.map((d) => d.mac)).sort();
    const byProfileAndTag = await create({ target: { profileId: profile.id, tag: 'east' } });
    expect(macs(byProfileAndTag)).toEqual([mac(0)]);
    await t.admin(`/api/rollouts/${byProfileAndTag.json.id}/abort`, { method: 'POST' });
    const outdated = await create({ target: { outdated: true }, phases: [{ percent: 50 }] });
    expect(macs(outdated)).toEqual([mac(0), mac(1), mac(2)]); // 'other' firmware is not this image's
    expect(outdated.json.phases.map((p: { devices: unknown[] }) => p.devices.length)).toEqual([2, 1]);
  });

  it('refuses bad input with the error envelope and changes nothing', async () => {
    await new ProtocolDevice(t, mac(0), { ...old }).register();
    for (const body of [{}, { firmwareId: newId, target: {}, phases: [{ size: 1 }] }, { firmwareId: newId, target: { outdated: true }, phases: [] },
      { firmwareId: newId, target: { outdated: true }, phases: [{ size: 1, percent: 5 }] }, { firmwareId: newId, target: { tag: "x'; DROP TABLE rollouts; --" }, phases: [{ size: 1 }], maxConcurrent: 0 },
      { firmwareId: newId, target: { devices: ['not a mac!'] }, phases: [{ size: 1 }] }]) {
      const res = await t.admin('/api/rollouts', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.code).toMatch(/bad_request|bad_id/);
    }
    expect((await create({ firmwareId: 999, target: { outdated: true } })).status).toBe(404);
    expect((await t.admin('/api/rollouts/77')).status).toBe(404);
    expect((await t.admin('/api/rollouts/abc/pause', { method: 'POST' })).status).toBe(400);
    expect((await t.admin('/api/rollouts')).json.items).toEqual([]);
  });
});

describe('operator actions', () => {
  it('pause holds new offers, resume continues; exclude takes rolled-back devices out so the rollout can go on; abort skips the rest', async () => {
    const devs: ProtocolDevice[] = [];
    for (let i = 0; i < 4; i++) devs.push(await new ProtocolDevice(t, mac(i), { ...old }).register());
    const id = (await create({ target: { outdated: true }, phases: [{ size: 2 }], maxConcurrent: 4, gate: { observeSec: 0 } })).json.id as number;
    const [a, b, c, d] = devs;
    // a rolls back: the canary pauses by itself
    await a!.download((await a!.checkin()).firmware.url);
    a!.bootInto(newer);
    await a!.checkin();
    a!.fallBack(old, newId);
    await a!.checkin();
    expect((await rollout(t, id)).state).toBe('paused');
    expect((await b!.checkin()).firmware).toBeUndefined();
    // resuming without excluding would not re-pause for the same failure; excluding clears it anyway
    const excluded = await t.admin(`/api/rollouts/${id}/exclude`, { body: { devices: [a!.mac] } });
    expect(excluded.status, excluded.text).toBe(200);
    expect(stateOf(excluded.json, a!.mac)).toBe('skipped');
    expect(excluded.json.phases[0].failures).toBe(0);
    expect((await t.admin(`/api/rollouts/${id}/resume`, { method: 'POST' })).json.state).toBe('running');
    await updateHealthy(b!);
    tick(t);
    expect((await rollout(t, id)).phases[0]!.state).toBe('passed');
    expect((await t.admin(`/api/rollouts/${id}/pause`, { method: 'POST' })).json).toMatchObject({ state: 'paused', pausedReason: expect.stringMatching(/^paused by /) });
    expect((await c!.checkin()).firmware).toBeUndefined();
    const aborted = (await t.admin(`/api/rollouts/${id}/abort`, { method: 'POST' })).json;
    expect(aborted.state).toBe('aborted');
    expect(stateOf(aborted, c!.mac)).toBe('skipped');
    expect(stateOf(aborted, d!.mac)).toBe('skipped');
    expect((await t.admin(`/api/rollouts/${id}/resume`, { method: 'POST' })).status).toBe(409);
    // the rollout no longer owns the devices: the operator's assignment decides again
    expect((await c!.checkin()).firmware).toBeUndefined();
    await t.admin(`/api/firmware/${newId}/assign`, { body: { deviceIds: [c!.mac] } });
    expect((await c!.checkin()).firmware?.id).toBe(newId);
  });

  it('rolls a phase back: its updated devices are offered the image they ran before', async () => {
    const dev = await new ProtocolDevice(t, mac(0), { ...old }).register();
    const id = (await create({ target: { devices: [dev.mac] }, gate: { observeSec: 600 } })).json.id as number;
    await updateHealthy(dev);
    const res = await t.admin(`/api/rollouts/${id}/phases/0/rollback`, { method: 'POST' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.phases[0]).toMatchObject({ state: 'rolled_back' });
    expect(res.json.phases[0].devices[0]).toMatchObject({ state: 'rolled_back', reason: 'phase_rolled_back' });
    expect(res.json.state).toBe('paused');
    const offer = (await dev.checkin()).firmware;
    expect(offer).toMatchObject({ version: '1.0.0', md5: old.md5 });
    expect((await t.admin(`/api/rollouts/${id}/phases/5/rollback`, { method: 'POST' })).status).toBe(404);
  });

  it('lets an offline device wait without holding its phase, and updates it when it checks in again', async () => {
    const online = await new ProtocolDevice(t, mac(0), { ...old }).register();
    const away = await new ProtocolDevice(t, mac(1), { ...old }).register();
    const id = (await create({ target: { outdated: true }, phases: [{ size: 2 }], gate: { observeSec: 0 } })).json.id as number;
    clock.advance(3_600_000);
    await online.checkin();
    await expect.poll(async () => (await t.admin(`/api/devices/${away.mac}`)).json.status, { timeout: 10_000 }).toBe('offline');
    await updateHealthy(online);
    tick(t);
    const waiting = await rollout(t, id);
    expect(waiting.phases[0]!.state).toBe('passed');
    expect(waiting.state).toBe('running');
    expect(stateOf(waiting, away.mac)).toBe('queued');
    await updateHealthy(away);
    tick(t);
    expect((await rollout(t, id)).state).toBe('done');
  });
});

describe('trial confirmation and the boot report', () => {
  it('confirms the image the operator assigned directly, only when the running md5 matches and the device is on trial', async () => {
    const dev = await new ProtocolDevice(t, mac(0), { ...old }).register();
    await t.admin(`/api/firmware/${newId}/assign`, { body: { deviceIds: [dev.mac] } });
    const offer = (await dev.checkin()).firmware;
    await dev.download(offer.url);
    dev.bootInto({ version: '1.1.0', md5: md5Of(imageOf(5, 1)) }); // wrong bytes running
    expect((await dev.checkin()).confirm).toBeUndefined();
    dev.bootInto(newer);
    expect((await dev.checkin()).confirm).toEqual({ md5: newer.md5 });
    dev.boot.trial = false;
    expect((await dev.checkin()).confirm).toBeUndefined();
    expect((await t.admin(`/api/devices/${dev.mac}`)).json.firmwareUpdate.state).toBe('updated');
  });

  it('refuses a malformed boot report with a 400 that names the field', async () => {
    const dev = await new ProtocolDevice(t, mac(0), { ...old }).register();
    for (const boot of [{ count: -1, reason: 'power_on', slot: 0, trial: false }, { count: 1, reason: 'gremlins', slot: 0, trial: false }, { count: 1, reason: 'power_on', slot: 2, trial: false }, { count: 1, reason: 'power_on', slot: 0 }]) {
      const res = await t.device(`/api/v1/devices/${dev.mac}/checkin`, { headers: { Authorization: `Bearer ${dev.token}` }, body: { boot } });
      expect(res.status).toBe(400);
      expect(res.text).toContain('boot');
    }
  });
});
