import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/renderer/src/api/http';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { useDeviceStore } from '../../../src/renderer/src/stores/device';
import { eventually, simulatedDevice, stopStream, useHeadlessFleet } from './support';

const { app } = useHeadlessFleet();
afterEach(stopStream);

async function openLive(mac: string) {
  const store = useDeviceStore();
  const connection = useConnectionStore();
  store.wire();
  connection.start();
  await eventually(() => expect(connection.streamState).toBe('open'));
  await store.open(mac);
  return store;
}

describe('device store against a headless fleet', () => {
  it('edits optimistically and rolls back with the server message when refused', async () => {
    const device = simulatedDevice(app());
    await device.register();
    const store = await openLive(device.mac);
    await store.patch({ name: 'Greenhouse "3"', location: "Shed; DROP TABLE devices; --" });
    expect(store.device).toMatchObject({ name: 'Greenhouse "3"', location: "Shed; DROP TABLE devices; --" });

    const pending = store.patch({ name: 'x'.repeat(500) });
    expect(store.device?.name).toBe('x'.repeat(500)); // optimistic
    await expect(pending).rejects.toBeInstanceOf(ApiError);
    expect(store.device?.name).toBe('Greenhouse "3"'); // rolled back
  });

  it('config: save → pending → device applies → in sync; history and restore', async () => {
    const device = simulatedDevice(app());
    await device.register();
    await device.checkin();
    const store = await openLive(device.mac);
    const startSn = store.config!.cfgsn;

    await store.saveOverrides({ led: true, rate: 5 });
    expect(store.config!.cfgsn).toBeGreaterThan(startSn);
    expect(store.config!.effective).toEqual({ led: true, rate: 5 });
    expect(store.config!.sources).toEqual({ led: 'override', rate: 'override' });
    await eventually(() => expect(store.device!.inSync).toBe(false));

    await device.checkin(); // receives the config
    await device.checkin(); // reports the applied cfgsn
    await eventually(() => {
      expect(store.device!.inSync).toBe(true);
      expect(store.device!.cfgsnReported).toBe(store.config!.cfgsn);
    });

    await store.saveOverrides({ led: false });
    expect(store.history.length).toBeGreaterThanOrEqual(2);
    const first = store.history.find((r) => JSON.stringify(r.after) === JSON.stringify({ led: true, rate: 5 }));
    expect(first).toBeDefined();
    await store.restore(first!.id);
    expect(store.config!.overrides).toEqual({ led: true, rate: 5 });
    expect(store.history[0]!.after).toEqual({ led: true, rate: 5 });
  });

  it('commands: queued, then acked live when the device checks in', async () => {
    const device = simulatedDevice(app());
    await device.register();
    const store = await openLive(device.mac);
    const command = await store.sendCommand('identify');
    expect(command?.state).toBe('queued');
    await device.checkin(); // delivered, runs it
    await device.checkin(); // acks it
    await eventually(() => expect(store.commands.find((c) => c.id === command!.id)?.state).toBe('acked'));
    await eventually(() => expect(store.events.some((e) => e.kind === 'command_acked')).toBe(true));
  });

  it('credentials: block, unblock, reset', async () => {
    const device = simulatedDevice(app());
    await device.register();
    const store = await openLive(device.mac);
    await store.credentials('block');
    expect(store.device!.state).toBe('blocked');
    await store.credentials('unblock');
    expect(store.device!.state).toBe('active');
    await store.credentials('resetCredentials');
    // the old token is refused; the device then registers again and gets a new one
    await expect(device.checkin()).rejects.toMatchObject({ status: 401 });
    const oldToken = device.token;
    await expect(device.checkin()).resolves.toBeDefined();
    expect(device.token).not.toBe(oldToken);
  });

  it('says not found for an unknown device', async () => {
    const store = useDeviceStore();
    await store.open('02:ff:ff:ff:ff:ff');
    expect(store.notFound).toBe(true);
  });
});
