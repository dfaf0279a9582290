import { afterEach, describe, expect, it } from 'vitest';
import type { SeenDevice } from '../../../src/shared/api';
import { api } from '../../../src/renderer/src/api/client';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { useEventsStore } from '../../../src/renderer/src/stores/events';
import { useFirmwareStore } from '../../../src/renderer/src/stores/firmware';
import { useProfilesStore } from '../../../src/renderer/src/stores/profiles';
import { useServerStore } from '../../../src/renderer/src/stores/server';
import { useSettingsStore } from '../../../src/renderer/src/stores/settings';
import { eventually, simulatedDevice, stopStream, useHeadlessFleet } from './support';

const { app } = useHeadlessFleet();
afterEach(stopStream);

describe('profiles store', () => {
  it('creates, edits defaults, renames, restores and deletes (detaching devices)', async () => {
    const profiles = useProfilesStore();
    const p = await profiles.create('sensor');
    expect(profiles.items.map((x) => x.name)).toContain('sensor');
    const device = simulatedDevice(app());
    await device.register();
    await api.devices.patch(device.mac, { profileId: p.id });

    await profiles.saveDefaults(p.id, { interval: 30 });
    await profiles.saveDefaults(p.id, { interval: 60 });
    expect(profiles.byId.get(p.id)!.defaults).toEqual({ interval: 60 });
    expect((await api.devices.config(device.mac)).effective).toEqual({ interval: 60 });
    const older = profiles.history.find((r) => JSON.stringify(r.after) === '{"interval":30}');
    await profiles.restore(older!.id, p.id);
    expect(profiles.byId.get(p.id)!.defaults).toEqual({ interval: 30 });

    await profiles.rename(p.id, 'sensor-v2');
    expect(profiles.byId.get(p.id)!.name).toBe('sensor-v2');
    await expect(profiles.create('')).rejects.toThrow();
    expect(await profiles.remove(p.id)).toBe(1);
    expect(profiles.byId.has(p.id)).toBe(false);
  });
});

describe('firmware store', () => {
  it('uploads, lists, assigns and deletes an image', async () => {
    const firmware = useFirmwareStore();
    await firmware.load();
    const bytes = new Uint8Array(64 * 1024).map((_, i) => i % 251);
    const image = await firmware.upload({ name: 'sensor', version: '1.2.3' }, bytes);
    expect(image).toMatchObject({ name: 'sensor', version: '1.2.3', size: bytes.length });
    expect(image.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(firmware.uploadProgress).toBeNull();
    expect(firmware.items[0]!.id).toBe(image.id);

    const device = simulatedDevice(app());
    await device.register();
    expect(await firmware.assign(image.id, { deviceIds: [device.mac] })).toEqual({ affected: 1, skippedLegacy: [] });
    expect((await api.devices.get(device.mac)).assignedFirmware?.id).toBe(image.id);
    await firmware.remove(image.id);
    expect(firmware.items.some((f) => f.id === image.id)).toBe(false);
  });

  it('refuses an upload without a version', async () => {
    await expect(useFirmwareStore().upload({ name: 'x', version: '' }, new Uint8Array(10))).rejects.toMatchObject({ status: 400 });
  });
});

describe('settings and server stores', () => {
  it('validates with the API schema, saves and reports restart-needed settings', async () => {
    const settings = useSettingsStore();
    const server = useServerStore();
    await Promise.all([settings.load(), server.load()]);
    expect(server.info!.admin.url).toBe(app().adminUrl);
    await server.loadSeen();
    expect(server.seen).toEqual([]); // --no-mdns: nothing is listened for
    expect(settings.validate({ devicePort: 70000 })).toHaveProperty('devicePort');
    expect(settings.validate({ thresholds: { lateFactor: 0, offlineFactor: 3, graceSeconds: 1 } })).toHaveProperty(['thresholds.lateFactor']);
    expect(settings.validate({ registrationPolicy: 'approve' })).toEqual({});

    await settings.save({ registrationPolicy: 'approve' });
    expect(settings.settings!.registrationPolicy).toBe('approve');
    const newcomer = simulatedDevice(app());
    expect((await newcomer.register()).state).toBe('pending');
    // saving refreshes the server panel too (restart-needed list, mDNS name)
    const loadsBefore = server.info;
    await settings.save({ registrationPolicy: 'open', devicePort: server.info!.device.port + 1 });
    expect(settings.settings!.devicePort).toBe(server.info!.device.port + 1);
    expect(server.info).not.toBe(loadsBefore);
    // the headless app was started with --device-port, which wins over the setting: no restart pending
    expect(server.info!.restartNeeded).toEqual([]);
  });
});

describe('devices seen on the LAN', () => {
  const sighting = (mac: string): SeenDevice => ({
    fqdn: `esp-${mac.replaceAll(':', '')}._fleetdesk-dev._tcp.local`, name: mac, kind: 'fleetdesk-dev', host: 'esp.local',
    port: 80, addresses: ['192.0.2.7'], mac, fw: null, interface: 'eth0', lastSeenAt: 1,
  });

  it('knows which sighted MACs are in the fleet, then follows registrations and removals from the live deltas', async () => {
    const server = useServerStore();
    const connection = useConnectionStore();
    const member = simulatedDevice(app());
    await member.register();
    const stranger = simulatedDevice(app());
    // --no-mdns: nothing is sighted for real, so the sightings are put in the store as the API would list them
    server.seen = [sighting(member.mac), sighting(stranger.mac)];
    await server.checkMembership();
    expect([...server.inFleet]).toEqual([member.mac]);

    server.wire();
    connection.start();
    await eventually(() => expect(connection.streamState).toBe('open'));
    await stranger.register();
    await eventually(() => expect(server.inFleet.has(stranger.mac)).toBe(true));
    await api.devices.remove(member.mac);
    await eventually(() => expect(server.inFleet.has(member.mac)).toBe(false));
    expect(server.inFleet.has(stranger.mac)).toBe(true);
  });
});

describe('events store', () => {
  it('loads the log and prepends live events', async () => {
    const events = useEventsStore();
    const connection = useConnectionStore();
    events.wire();
    connection.start();
    await events.load();
    await eventually(() => expect(connection.streamState).toBe('open'));
    const device = simulatedDevice(app());
    await device.register();
    await eventually(() => expect(events.items.some((e) => e.deviceId === device.mac && e.kind === 'registered')).toBe(true));
  });
});
