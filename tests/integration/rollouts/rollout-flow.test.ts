import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FleetDelta } from '../../../src/shared/api';
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

async function devices(n: number): Promise<ProtocolDevice[]> {
  const list: ProtocolDevice[] = [];
  for (let i = 0; i < n; i++) list.push(await new ProtocolDevice(t, `aa:bb:cc:00:01:${String(i + 10).padStart(2, '0')}`, { ...old }).register());
  return list;
}

/** What a healthy device does with an offer: download, restart on trial, get confirmed, confirm. */
async function updateHealthy(dev: ProtocolDevice): Promise<void> {
  const offer = (await dev.checkin()).firmware;
  expect(offer).toMatchObject({ id: newId, version: '1.1.0' });
  const image = await dev.download(offer.url);
  expect(image.body.equals(NEW)).toBe(true);
  dev.bootInto(newer);
  const onTrial = await dev.checkin();
  expect(onTrial.confirm).toEqual({ md5: newer.md5 });
  expect(onTrial.firmware).toBeUndefined();
  dev.boot.trial = false;
  expect((await dev.checkin()).confirm).toBeUndefined();
}

beforeEach(async () => {
  clock = manualClock();
  t = await startRolloutFleet(clock);
  await uploadImage(t, 'app', '1.0.0', OLD);
  newId = (await uploadImage(t, 'app', '1.1.0', NEW)).id;
});
afterEach(() => t.dispose());

describe('rollout campaign over HTTP', () => {
  it('takes a canary, then the rest, at most K at once, through every device state, to done', async () => {
    const devs = await devices(3);
    const deltas: FleetDelta[] = [];
    const unsubscribe = t.fleet.services.deltas.subscribe((d) => deltas.push(d));
    const created = await t.admin('/api/rollouts', {
      body: { firmwareId: newId, target: { outdated: true }, phases: [{ size: 1 }], maxConcurrent: 1, gate: { confirmWithinSec: 600, observeSec: 0 } },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as number;
    expect(created.json.phases.map((p: { devices: unknown[] }) => p.devices.length)).toEqual([1, 2]);
    const canary = created.json.phases[0].devices[0].mac as string;
    const first = devs.find((d) => d.mac === canary)!;
    const rest = devs.filter((d) => d !== first);

    // the second phase waits for the canary's gate
    expect((await rest[0]!.checkin()).firmware).toBeUndefined();
    const offer = (await first.checkin()).firmware;
    expect(offer).toMatchObject({ id: newId, size: NEW.length, md5: newer.md5 });
    expect(stateOf(await rollout(t, id), canary)).toBe('offered');
    await first.download(offer.url);
    // the route learns the stream ended just after the client has the last byte
    await expect.poll(async () => stateOf(await rollout(t, id), canary)).toBe('verifying');
    clock.advance(11_000);
    tick(t);
    expect(stateOf(await rollout(t, id), canary)).toBe('rebooting');
    first.bootInto(newer);
    expect((await first.checkin()).confirm).toEqual({ md5: newer.md5 });
    expect(stateOf(await rollout(t, id), canary)).toBe('on_trial');
    first.boot.trial = false;
    await first.checkin();
    expect(stateOf(await rollout(t, id), canary)).toBe('updated');
    tick(t);
    const afterCanary = await rollout(t, id);
    expect(afterCanary.phases.map((p) => p.state)).toEqual(['passed', 'running']);

    // K = 1: while one device holds the slot, the other is not offered
    const a = await rest[0]!.checkin();
    expect(a.firmware).toBeDefined();
    expect((await rest[1]!.checkin()).firmware).toBeUndefined();
    expect((await rollout(t, id)).downloading).toBe(1);
    await rest[0]!.download(a.firmware.url);
    rest[0]!.bootInto(newer);
    await rest[0]!.checkin();
    await updateHealthy(rest[1]!);
    rest[0]!.boot.trial = false;
    await rest[0]!.checkin();
    tick(t);
    const done = await rollout(t, id);
    expect(done.state).toBe('done');
    expect(done.counts.updated).toBe(3);
    expect(done.peakDownloading).toBe(1);
    // an updated device keeps the image as its own assignment: nothing offers the old one back
    expect((await t.admin(`/api/devices/${canary}`)).json.assignedFirmware.id).toBe(newId);
    expect((await first.checkin()).firmware).toBeUndefined();
    // live: rollout deltas, and the events of its life
    await expect.poll(() => deltas.some((d) => d.type === 'rollout' && d.rolloutId === id)).toBe(true);
    unsubscribe();
    const kinds = (await t.admin('/api/events?limit=200')).json.map((e: { kind: string }) => e.kind) as string[];
    expect(kinds).toEqual(expect.arrayContaining(['rollout_created', 'rollout_phase_started', 'rollout_phase_passed', 'rollout_done']));
    const history = (await t.admin(`/api/devices/${canary}/updates`)).json.items as { rolloutId: number | null; state: string }[];
    expect(history.find((h) => h.rolloutId === id)).toMatchObject({ state: 'updated' });
  });

  it('counts a device that took the image and came back on its old version with a higher boot count as rolled back at once, and pauses the canary', async () => {
    const [dev] = await devices(1);
    const created = await t.admin('/api/rollouts', { body: { firmwareId: newId, target: { devices: [dev!.mac] }, phases: [{ size: 1 }], maxConcurrent: 5 } });
    const id = created.json.id as number;
    const offer = (await dev!.checkin()).firmware;
    await dev!.download(offer.url);
    await expect.poll(async () => stateOf(await rollout(t, id), dev!.mac)).toBe('verifying');
    // back on 1.0.0 after a reboot, no OTA report at all: the boot count tells
    dev!.boot = { ...dev!.boot, count: dev!.boot.count + 2, reason: 'hardware_wdt' };
    await dev!.checkin();
    const detail = await rollout(t, id);
    expect(stateOf(detail, dev!.mac)).toBe('rolled_back');
    expect(detail.phases[0]!.devices[0]).toMatchObject({ reason: 'boot_failed', fromVersion: '1.0.0', toVersion: '1.1.0', currentVersion: '1.0.0' });
    expect(detail.state).toBe('paused');
    expect(detail.pausedReason).toContain('canary');
  });

  it('takes the device\'s rollback report (ota.rolledBack) and shows its message', async () => {
    const devs = await devices(2);
    const created = await t.admin('/api/rollouts', { body: { firmwareId: newId, target: { outdated: true }, phases: [{ size: 2 }], maxConcurrent: 5 } });
    const id = created.json.id as number;
    const [bad, good] = devs;
    await bad!.download((await bad!.checkin()).firmware.url);
    bad!.bootInto(newer);
    await bad!.checkin();
    bad!.fallBack(old, newId);
    await bad!.checkin();
    const detail = await rollout(t, id);
    expect(detail.phases[0]!.devices.find((d) => d.mac === bad!.mac)).toMatchObject({ state: 'rolled_back', message: 'rolled back: exception' });
    expect(detail.state).toBe('paused');
    // paused: no new offers
    expect((await good!.checkin()).firmware).toBeUndefined();
    const events = (await t.admin(`/api/events?deviceId=${bad!.mac}&kind=firmware_rolled_back`)).json as unknown[];
    expect(events).toHaveLength(1);
  });

  it('fails a device that does not confirm within the gate\'s time, judged on the injected clock', async () => {
    const [dev] = await devices(1);
    const created = await t.admin('/api/rollouts', { body: { firmwareId: newId, target: { devices: [dev!.mac] }, phases: [{ size: 1 }], maxConcurrent: 5, gate: { confirmWithinSec: 60 } } });
    const id = created.json.id as number;
    await dev!.download((await dev!.checkin()).firmware.url);
    await expect.poll(async () => stateOf(await rollout(t, id), dev!.mac)).toBe('verifying');
    clock.advance(59_000);
    tick(t);
    expect(stateOf(await rollout(t, id), dev!.mac)).toBe('rebooting');
    clock.advance(2_000);
    tick(t);
    const detail = await rollout(t, id);
    expect(detail.phases[0]!.devices[0]).toMatchObject({ state: 'failed', reason: 'not_confirmed' });
    expect(detail.state).toBe('paused');
  });

  it('fails an updated device in a reboot loop or below the heap floor while its phase is watched', async () => {
    const devs = await devices(2);
    const created = await t.admin('/api/rollouts', {
      body: { firmwareId: newId, target: { outdated: true }, phases: [{ size: 2 }], maxConcurrent: 5, gate: { heapFloor: 10_000, maxReboots: 2, observeSec: 300, maxFailures: 5 } },
    });
    const id = created.json.id as number;
    for (const d of devs) await updateHealthy(d);
    const [looping, starving] = devs;
    looping!.boot = { ...looping!.boot, count: looping!.boot.count + 3, reason: 'exception' };
    await looping!.checkin();
    starving!.heap = 8_000;
    await starving!.checkin();
    const detail = await rollout(t, id);
    expect(detail.phases[0]!.devices.map((d) => [d.mac, d.reason])).toEqual(expect.arrayContaining([[looping!.mac, 'reboot_loop'], [starving!.mac, 'low_heap']]));
    expect(detail.state).toBe('running'); // maxFailures 5 tolerates them
  });

  it('gives a cut download\'s slot back to the same device, and fails it after repeated cuts', async () => {
    const [dev] = await devices(1);
    // big enough that a reader who stops after one chunk leaves the server's stream unfinished
    const big = await uploadImage(t, 'app', '1.2.0', imageOf(900_000, 7));
    const created = await t.admin('/api/rollouts', { body: { firmwareId: big.id, target: { devices: [dev!.mac] }, phases: [{ size: 1 }], maxConcurrent: 1 } });
    const id = created.json.id as number;
    const offer = (await dev!.checkin()).firmware;
    await dev!.cutDownload(offer.url, 1);
    await expect.poll(async () => stateOf(await rollout(t, id), dev!.mac)).toBe('offered');
    expect((await rollout(t, id)).phases[0]!.devices[0]!.message).toContain('cut midway');
    await dev!.cutDownload(offer.url, 1);
    await expect.poll(async () => (await rollout(t, id)).phases[0]!.devices[0]!.message).toContain('2 of 3');
    await dev!.cutDownload(offer.url, 1);
    await expect.poll(async () => stateOf(await rollout(t, id), dev!.mac)).toBe('failed');
    expect((await rollout(t, id)).phases[0]!.devices[0]!.reason).toBe('download_failed');
  });
});
