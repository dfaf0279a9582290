import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasFault } from '../../../src/simulator/boot';
import { SimulatedDevice } from '../../../src/simulator/device';
import type { TestFleet } from '../../helpers/fleet';
import { imageOf, rollout, startRolloutFleet, manualClock, stateOf, uploadImage } from './rollout-harness';

let t: TestFleet;
let fwId: number;
const mac = (i: number) => `aa:bb:cc:00:03:${String(i + 10).padStart(2, '0')}`;

beforeEach(async () => {
  t = await startRolloutFleet(manualClock(Date.now()));
  fwId = (await uploadImage(t, 'fleetdesk-sim', '2.0.0', imageOf(60_000, 13))).id;
});
afterEach(() => t.dispose());

describe('simulator faults against a rollout', () => {
  it('picks exactly the given share of devices, repeatably', () => {
    const picked = Array.from({ length: 40 }, (_, i) => i).filter((i) => hasFault(i, 0.1));
    expect(picked).toHaveLength(4);
    expect(Array.from({ length: 40 }, (_, i) => i).filter((i) => hasFault(i, 0.1))).toEqual(picked);
    expect(Array.from({ length: 40 }, (_, i) => hasFault(i, 0)).some(Boolean)).toBe(false);
  });

  it('a healthy device is confirmed and keeps the image; a crashing one comes back on its old slot as rolled back; a cut download fails', async () => {
    const healthy = new SimulatedDevice({ server: t.deviceUrl, mac: mac(0) });
    const crashing = new SimulatedDevice({ server: t.deviceUrl, mac: mac(1), faults: { bootFailure: true } });
    const cut = new SimulatedDevice({ server: t.deviceUrl, mac: mac(2), faults: { downloadFailure: true } });
    const slow = new SimulatedDevice({ server: t.deviceUrl, mac: mac(3), faults: { downloadBytesPerSecond: 200_000 } });
    const all = [healthy, crashing, cut, slow];
    for (const d of all) await d.register();
    const created = await t.admin('/api/rollouts', {
      body: { firmwareId: fwId, target: { outdated: true }, phases: [{ size: 4 }], maxConcurrent: 4, gate: { maxFailures: 4, observeSec: 0 } },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as number;
    for (const d of all) await d.checkin(); // offer → download → (trial boot | crash | cut)
    expect(healthy.boot.trial).toBe(true);
    expect(healthy.fwVersion).toBe('2.0.0');
    expect(crashing.fwVersion).toBe('1.0.0');
    expect(crashing.boot.report()).toMatchObject({ count: 3, reason: 'exception', slot: 0, trial: false });
    for (const d of all) await d.checkin(); // confirmation; rollback and failure reports
    expect(healthy.boot.trial).toBe(false);
    await healthy.checkin();
    await slow.checkin();
    const detail = await rollout(t, id);
    expect(stateOf(detail, healthy.mac)).toBe('updated');
    expect(stateOf(detail, slow.mac)).toBe('updated');
    expect(detail.phases[0]!.devices.find((d) => d.mac === crashing.mac)).toMatchObject({ state: 'rolled_back', message: 'rolled back: exception at boot', currentVersion: '1.0.0' });
    expect(detail.phases[0]!.devices.find((d) => d.mac === cut.mac)).toMatchObject({ state: 'failed', reason: 'download_failed' });
  });

  it('gives up a trial image the server never confirms, after three check-ins, and says so', async () => {
    const dev = new SimulatedDevice({ server: t.deviceUrl, mac: mac(4) });
    await dev.register();
    const outcomes: string[] = [];
    dev.on('firmware', (o) => outcomes.push(o.message ?? 'ok'));
    await t.admin(`/api/firmware/${fwId}/assign`, { body: { deviceIds: [dev.mac] } });
    await dev.checkin();
    expect(dev.boot.trial).toBe(true);
    // the operator deletes the image meanwhile: nothing expects it any more
    expect((await t.admin(`/api/firmware/${fwId}`, { method: 'DELETE' })).status).toBe(204);
    for (let i = 0; i < 3; i++) await dev.checkin();
    expect(dev.boot.trial).toBe(false);
    expect(dev.fwVersion).toBe('1.0.0');
    expect(dev.boot.report()).toMatchObject({ count: 3, slot: 0, trial: false });
    expect(outcomes).toEqual(['ok', 'rolled back: not confirmed']);
  });
});
