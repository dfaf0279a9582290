/**
 * Firmware rollout per device (live from the delta stream) and the mDNS "Advertise on" choice,
 * against a real headless app (started with --no-mdns: the choices must be listed all the same).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FirmwareDeviceState } from '../../../src/shared/api';
import { rolloutStep, rolloutSummary } from '../../../src/renderer/src/components/firmware/rollout';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { useFirmwareStore } from '../../../src/renderer/src/stores/firmware';
import { useServerStore } from '../../../src/renderer/src/stores/server';
import { useSettingsStore } from '../../../src/renderer/src/stores/settings';
import { eventually, simulatedDevice, stopStream, useHeadlessFleet } from './support';

const { app } = useHeadlessFleet();
afterEach(stopStream);

describe('firmware rollout', () => {
  it('lists the assigned devices and follows one live to "updated"', async () => {
    const firmware = useFirmwareStore();
    const connection = useConnectionStore();
    firmware.wire();
    connection.start();
    await eventually(() => expect(connection.streamState).toBe('open'));

    const image = await firmware.upload({ name: 'rollout', version: '4.0.0' }, new Uint8Array(2048).map((_, i) => i % 7));
    const device = simulatedDevice(app(), { fwVersion: '3.0.0' });
    const bystander = simulatedDevice(app());
    await Promise.all([device.register(), bystander.register()]);
    await firmware.watchRollout(image.id);
    expect(firmware.rollouts.get(image.id)).toEqual([]);

    expect(await firmware.assign(image.id, { deviceIds: [device.mac] })).toEqual({ affected: 1, skippedLegacy: [] });
    const rows = () => firmware.rollouts.get(image.id) ?? [];
    expect(rows().map((r) => r.id)).toEqual([device.mac]); // assign refreshes what is watched
    expect(rolloutStep(rows()[0]!, image.version)).toBe('waiting');

    await device.checkin(); // offered, downloaded, flashed
    await device.checkin(); // reports 4.0.0
    expect(device.fwVersion).toBe('4.0.0');
    await eventually(() => expect(rows()[0]?.firmwareUpdate.state).toBe('updated'));
    expect(rows()[0]!.fwVersion).toBe('4.0.0');
    expect(rolloutSummary(rows(), image.version)).toBe('1 device · 1 updated');

    firmware.unwatchRollout(image.id);
    expect(firmware.rollouts.has(image.id)).toBe(false);
  });

  it('reads a state before any offer from the running version', () => {
    const row = (fwVersion: string | null, state: FirmwareDeviceState['firmwareUpdate']['state'] = 'none', protocol: 'v1' | 'legacy' = 'v1'): FirmwareDeviceState =>
      ({ id: 'x', name: '', status: 'online', fwVersion, protocol, via: 'device', profileName: null, firmwareUpdate: { state } });
    expect(rolloutStep(row('2.0.0'), '2.0.0')).toBe('running');
    expect(rolloutStep(row('1.0.0'), '2.0.0')).toBe('waiting');
    expect(rolloutStep(row('1.0.0', 'none', 'legacy'), '2.0.0')).toBe('legacy'); // no offer in that protocol: never "waiting"
    expect(rolloutStep(row('2.0.0', 'none', 'legacy'), '2.0.0')).toBe('running');
    expect(rolloutStep(row('1.0.0', 'failed'), '2.0.0')).toBe('failed');
    expect(rolloutSummary([row('1.0.0', 'failed'), row('2.0.0'), row('1.0.0', 'offered')], '2.0.0'))
      .toBe('3 devices · 1 offered · 1 already running it · 1 failed');
  });
});

describe('mDNS "Advertise on"', () => {
  it('lists the interfaces with mDNS off, saves a choice live and validates it', async () => {
    const settings = useSettingsStore();
    const server = useServerStore();
    await Promise.all([settings.load(), server.load()]);
    expect(server.info!.mdns.enabled).toBe(false);
    const choices = server.interfaceChoices;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.flatMap((c) => c.addresses).some((a) => a.startsWith('127.'))).toBe(false);
    expect(new Set(choices.map((c) => c.name)).size).toBe(choices.length); // one choice per interface

    const chosen = choices[0]!.name;
    expect(settings.validate({ mdnsInterfaces: [chosen] })).toEqual({});
    expect(settings.validate({ mdnsInterfaces: ['x'.repeat(40)] })).toHaveProperty(['mdnsInterfaces.0']);
    expect(settings.absentInterfaces([chosen, 'gone0'])).toEqual(['gone0']);

    await settings.save({ mdnsInterfaces: [chosen] });
    expect(settings.settings!.mdnsInterfaces).toEqual([chosen]);
    expect(server.info!.restartNeeded).toEqual([]); // applies live
    expect(server.interfaceChoices.map((c) => c.name)).toEqual(choices.map((c) => c.name));
    await settings.save({ mdnsInterfaces: [] });
    expect(settings.settings!.mdnsInterfaces).toEqual([]);
  });
});
