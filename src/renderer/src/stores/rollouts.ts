/**
 * Rollout campaigns: the list, the one rollout open on its page, the operator's controls, and a
 * device's update history. Kept live by `rollout` deltas; a burst of them costs at most two
 * requests per thing shown (one running, one queued behind it).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { FleetDelta } from '../../../shared/api';
import type { DeviceUpdateRecord, RolloutCreate, RolloutDetail, RolloutSummary } from '../../../shared/api/rollouts';
import { rolloutsApi } from '../api/rollouts';
import { useFleetStore } from './fleet';
import { liveWiring } from './live';
import { useSelectionStore } from './selection';

/** Runs `load` now, or once more after the run in flight ends; never two at a time. */
function coalesced(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = load().finally(() => {
      running = null;
      if (again) {
        again = false;
        void run().catch(() => undefined);
      }
    });
    return running;
  };
  return run;
}

export const useRolloutsStore = defineStore('rollouts', () => {
  const items = ref<RolloutSummary[]>([]);
  const loaded = ref(false);
  /** the rollout open on its page */
  const current = shallowRef<RolloutDetail | null>(null);
  const openId = ref<number | null>(null);
  /** the update history of the device whose page is open */
  const deviceUpdates = ref<DeviceUpdateRecord[] | null>(null);
  const deviceId = ref<string | null>(null);
  /** devices chosen on the Fleet page for the next new rollout (taken once by the form) */
  const draftDevices = ref<string[]>([]);

  const reloadList = coalesced(async () => {
    items.value = (await rolloutsApi.list()).items;
    loaded.value = true;
  });
  const reloadCurrent = coalesced(async () => {
    const id = openId.value;
    if (id === null) return;
    const detail = await rolloutsApi.get(id);
    if (openId.value === id) current.value = detail;
  });
  const reloadDeviceUpdates = coalesced(async () => {
    const mac = deviceId.value;
    if (!mac) return;
    const { items: history } = await rolloutsApi.deviceUpdates(mac);
    if (deviceId.value === mac) deviceUpdates.value = history;
  });

  const load = (): Promise<void> => reloadList();

  async function open(id: number): Promise<void> {
    if (openId.value !== id) current.value = null;
    openId.value = id;
    await reloadCurrent();
  }
  function close(): void {
    openId.value = null;
    current.value = null;
  }

  async function openDevice(mac: string): Promise<void> {
    if (deviceId.value !== mac) deviceUpdates.value = null;
    deviceId.value = mac;
    await reloadDeviceUpdates();
  }
  function closeDevice(): void {
    deviceId.value = null;
    deviceUpdates.value = null;
  }

  /** Shows an answer at once (the delta that follows refreshes it again). */
  function show(detail: RolloutDetail): RolloutDetail {
    if (openId.value === detail.id) current.value = detail;
    const { phases: _phases, gate: _gate, downloading: _downloading, ...summary } = detail;
    items.value = [summary, ...items.value.filter((r) => r.id !== detail.id)].sort((a, b) => b.createdAt - a.createdAt);
    return detail;
  }

  /**
   * Takes the Fleet selection as the next new rollout's devices. "All matching" is resolved to ids
   * now (as the operator sees them), so the rollout's target does not grow with later devices.
   */
  async function draftFromSelection(): Promise<number> {
    const selection = useSelectionStore();
    const target = selection.target();
    if ('ids' in target && target.ids) draftDevices.value = target.ids;
    else {
      const filter = 'filter' in target ? target.filter : {};
      const page = await useFleetStore().find({ ...filter, limit: 10000 });
      draftDevices.value = page.items.map((d) => d.id);
    }
    return draftDevices.value.length;
  }

  const create = async (input: RolloutCreate): Promise<RolloutDetail> => show(await rolloutsApi.create(input));
  const pause = async (id: number): Promise<RolloutDetail> => show(await rolloutsApi.pause(id));
  const resume = async (id: number): Promise<RolloutDetail> => show(await rolloutsApi.resume(id));
  const abort = async (id: number): Promise<RolloutDetail> => show(await rolloutsApi.abort(id));
  const rollbackPhase = async (id: number, index: number): Promise<RolloutDetail> => show(await rolloutsApi.rollbackPhase(id, index));
  const exclude = async (id: number, macs: string[]): Promise<RolloutDetail> => show(await rolloutsApi.exclude(id, macs));

  function applyDeltas(deltas: FleetDelta[]): void {
    let list = false;
    let detail = false;
    let history = false;
    for (const delta of deltas) {
      if (delta.type === 'rollout') {
        list = true;
        if (delta.rolloutId === openId.value) detail = true;
        history = true;
      } else if (delta.type === 'device' && delta.device.id === deviceId.value) {
        // direct assignments (no rollout) change the history too, and ride on device deltas
        history = true;
      }
    }
    if (list && loaded.value) void reloadList().catch(() => undefined);
    if (detail) void reloadCurrent().catch(() => undefined);
    if (history && deviceId.value) void reloadDeviceUpdates().catch(() => undefined);
  }

  const wire = liveWiring(applyDeltas, () => {
    if (loaded.value) void reloadList().catch(() => undefined);
    if (openId.value !== null) void reloadCurrent().catch(() => undefined);
    if (deviceId.value) void reloadDeviceUpdates().catch(() => undefined);
  });

  return {
    items, loaded, current, openId, deviceUpdates, deviceId, draftDevices,
    load, open, close, openDevice, draftFromSelection, closeDevice, create, pause, resume, abort, rollbackPhase, exclude, applyDeltas, wire,
  };
});
