import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../../src/renderer/src/api/client';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { useFleetStore } from '../../../src/renderer/src/stores/fleet';
import { useSelectionStore } from '../../../src/renderer/src/stores/selection';
import { eventually, simulatedDevice, stopStream, useHeadlessFleet } from './support';

const { app } = useHeadlessFleet();
afterEach(stopStream);

describe('fleet store against a headless fleet', () => {
  it('shows a registering device live, without reloading the list', async () => {
    const fleet = useFleetStore();
    const connection = useConnectionStore();
    fleet.wire();
    connection.start();
    await fleet.load();
    const before = fleet.total;
    await eventually(() => expect(connection.streamState).toBe('open'));

    const device = simulatedDevice(app());
    await device.register();
    await device.checkin();
    await eventually(() => {
      expect(fleet.rows.some((r) => r.id === device.mac)).toBe(true);
      expect(fleet.total).toBe(before + 1);
    });
    await eventually(() => expect(fleet.counts.online).toBeGreaterThanOrEqual(1));

    await api.devices.patch(device.mac, { name: 'renamed live' });
    await eventually(() => expect(fleet.rowById(device.mac)?.name).toBe('renamed live'));
  });

  it('keeps deltas that arrive while the list is loading (they would be overwritten otherwise)', async () => {
    const fleet = useFleetStore();
    const connection = useConnectionStore();
    fleet.wire();
    const device = simulatedDevice(app());
    await device.register();
    const [summary] = (await api.devices.list({ q: device.mac })).items;
    await api.devices.remove(device.mac); // the server list will not have it …
    const loading = fleet.load();
    connection.dispatch([{ type: 'device', device: { ...summary!, name: 'arrived mid-load' } }]); // … but a delta does
    await loading;
    expect(fleet.rowById(device.mac)?.name).toBe('arrived mid-load');
  });

  it('filters and sorts on the server', async () => {
    const a = simulatedDevice(app());
    const b = simulatedDevice(app());
    await Promise.all([a.register(), b.register()]);
    await api.devices.patch(a.mac, { name: 'alpha-unique', tags: ['roof'] });
    await api.devices.patch(b.mac, { name: 'beta-unique', location: 'cellar' });
    const fleet = useFleetStore();

    fleet.setFilter({ q: 'unique' });
    fleet.setSort({ sort: 'name', order: 'desc' });
    await eventually(() => expect(fleet.rows.map((r) => r.name)).toEqual(['beta-unique', 'alpha-unique']));

    fleet.setFilter({ q: 'cellar' });
    await eventually(() => expect(fleet.rows.map((r) => r.id)).toEqual([b.mac]));

    fleet.setFilter({ q: '', tag: 'roof' });
    await eventually(() => expect(fleet.rows.map((r) => r.id)).toEqual([a.mac]));
    expect(fleet.filterActive).toBe(true);
  });

  it('bulk-tags a shift-click range and "all matching"', async () => {
    const devices = [simulatedDevice(app()), simulatedDevice(app()), simulatedDevice(app())];
    for (const [i, d] of devices.entries()) {
      await d.register();
      await api.devices.patch(d.mac, { name: `range-${i}` });
    }
    const fleet = useFleetStore();
    const selection = useSelectionStore();
    fleet.setFilter({ q: 'range-' });
    fleet.setSort({ sort: 'name', order: 'asc' });
    await eventually(() => expect(fleet.rows).toHaveLength(3));

    selection.toggle(devices[0]!.mac);
    selection.toggle(devices[2]!.mac, true);
    expect(selection.count).toBe(3);
    expect(selection.describe(2)).toEqual({ names: ['range-0', 'range-1'], more: 1 });
    const tagged = await selection.run({ action: 'addTags', tags: ['batch'] });
    expect(tagged.affected).toBe(3);

    selection.clear();
    selection.toggle(devices[1]!.mac);
    expect(selection.count).toBe(1);
    selection.selectAllMatching();
    expect(selection.target()).toEqual({ filter: { q: 'range-', status: undefined, profileId: undefined, tag: undefined } });
    const untagged = await selection.run({ action: 'removeTags', tags: ['batch'] });
    expect(untagged.affected).toBe(3);
    const check = await api.devices.list({ tag: 'batch' });
    expect(check.total).toBe(0);
  });
});
