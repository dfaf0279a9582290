/**
 * The device open in the detail view: its record, config, history, commands and events, kept
 * live from deltas. Edits are optimistic and roll back with the server's message on error.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Command, ConfigRevision, ConfigView, DeviceDetail, DevicePatch, FleetDelta, FleetEvent } from '../../../shared/api';
import type { ConfigObject } from '../../../shared/config';
import { api } from '../api/client';
import { ApiError, messageOf } from '../api/http';
import { liveWiring } from './live';

export const useDeviceStore = defineStore('device', () => {
  const id = ref<string | null>(null);
  const device = ref<DeviceDetail | null>(null);
  const config = ref<ConfigView | null>(null);
  const history = ref<ConfigRevision[]>([]);
  const commands = ref<Command[]>([]);
  const events = ref<FleetEvent[]>([]);
  const error = ref<string | null>(null);
  const notFound = ref(false);

  async function open(deviceId: string): Promise<void> {
    id.value = deviceId;
    error.value = null;
    notFound.value = false;
    device.value = null;
    config.value = null;
    history.value = [];
    commands.value = [];
    events.value = [];
    try {
      const [d, c] = await Promise.all([api.devices.get(deviceId), api.devices.config(deviceId)]);
      if (id.value !== deviceId) return;
      device.value = d;
      config.value = c;
      await Promise.all([loadHistory(), loadCommands(), loadEvents()]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) notFound.value = true;
      error.value = messageOf(e);
    }
  }

  async function loadHistory(): Promise<void> {
    if (id.value) history.value = await api.devices.history(id.value);
  }
  async function loadCommands(): Promise<void> {
    if (id.value) commands.value = await api.devices.commands(id.value);
  }
  async function loadEvents(): Promise<void> {
    if (id.value) events.value = await api.devices.events(id.value);
  }
  async function reloadConfig(): Promise<void> {
    if (id.value) config.value = await api.devices.config(id.value);
  }

  /** Optimistic edit: shows the change at once, restores the previous record if the core refuses. */
  async function patch(changes: DevicePatch): Promise<void> {
    if (!device.value) return;
    const before = device.value;
    device.value = { ...before, ...changes };
    try {
      device.value = await api.devices.patch(before.id, changes);
      if (changes.profileId !== undefined) await Promise.all([reloadConfig(), loadHistory()]);
    } catch (e) {
      device.value = before;
      throw e;
    }
  }

  async function saveOverrides(overrides: ConfigObject): Promise<void> {
    if (!id.value) return;
    config.value = await api.devices.putConfig(id.value, overrides);
    await loadHistory();
  }

  async function restore(revisionId: number): Promise<void> {
    await api.revisions.restore(revisionId);
    await Promise.all([reloadConfig(), loadHistory()]);
  }

  async function credentials(action: 'approve' | 'block' | 'unblock' | 'resetCredentials'): Promise<void> {
    if (!id.value) return;
    device.value = await api.devices[action](id.value);
  }

  async function sendCommand(name: string, args: Record<string, unknown> = {}): Promise<Command | undefined> {
    if (!id.value) return undefined;
    const command = await api.devices.sendCommand(id.value, name, args);
    upsertCommand(command);
    return command;
  }

  async function cancelCommand(commandId: number): Promise<void> {
    upsertCommand(await api.commands.cancel(commandId));
  }

  function upsertCommand(command: Command): void {
    const list = commands.value.filter((c) => c.id !== command.id);
    commands.value = [command, ...list].sort((a, b) => b.id - a.id);
  }

  function applyDeltas(deltas: FleetDelta[]): void {
    const current = device.value;
    if (!current) return;
    let configStale = false;
    for (const delta of deltas) {
      if (delta.type === 'device' && delta.device.id === current.id) {
        const prev = device.value!;
        if (prev.cfgsn !== delta.device.cfgsn || prev.cfgsnReported !== delta.device.cfgsnReported || prev.profileId !== delta.device.profileId) configStale = true;
        device.value = { ...prev, ...delta.device };
      } else if (delta.type === 'status' && delta.id === current.id) {
        device.value = { ...device.value!, status: delta.status, lastSeenAt: delta.lastSeenAt };
      } else if (delta.type === 'command' && delta.command.deviceId === current.id) {
        upsertCommand(delta.command);
      } else if (delta.type === 'event' && delta.event.deviceId === current.id) {
        if (!events.value.some((e) => e.id === delta.event.id)) events.value = [delta.event, ...events.value].slice(0, 200);
        if (delta.event.kind.startsWith('firmware_')) void api.devices.get(current.id).then((d) => { if (id.value === d.id) device.value = d; });
      } else if (delta.type === 'device_removed' && delta.id === current.id) {
        notFound.value = true;
      } else if (delta.type === 'profile' && delta.profileId === current.profileId) {
        configStale = true;
      }
    }
    if (configStale) void Promise.all([reloadConfig(), loadHistory()]).catch(() => undefined);
  }

  const wire = liveWiring(applyDeltas, () => { if (id.value) void open(id.value); });

  async function remove(deviceId: string): Promise<void> {
    await api.devices.remove(deviceId);
  }

  function close(): void {
    id.value = null;
    device.value = null;
  }

  return {
    id, device, config, history, commands, events, error, notFound,
    open, close, remove, patch, saveOverrides, restore, credentials, sendCommand, cancelCommand, reloadConfig, applyDeltas, wire,
  };
});
