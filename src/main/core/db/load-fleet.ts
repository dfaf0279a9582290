import type { Settings } from '../../../shared/api';
import { deviceFromRow } from './device-codec';
import type { Repos } from './repos';
import { parseObject } from './repos/json';
import type { DeviceRuntime, FleetState, ProfileRuntime } from '../state/runtime';

/** Builds the in-memory fleet from the database (at start, and to recover after a failed write). */
export function loadFleetState(repos: Repos, settings: Settings): FleetState {
  const profiles = new Map<number, ProfileRuntime>();
  for (const p of repos.profiles.all()) {
    profiles.set(p.id, {
      id: p.id, name: p.name, description: p.description, defaults: parseObject(p.defaults),
      firmwareId: p.firmware_id, createdAt: p.created_at, updatedAt: p.updated_at,
    });
  }
  const firmware = new Map(repos.firmware.all().map((f) => [f.id, f]));

  const devices = new Map<string, DeviceRuntime>();
  for (const row of repos.devices.all()) {
    const profileId = row.profile_id as number | null;
    const defaults = profileId === null ? {} : (profiles.get(profileId)?.defaults ?? {});
    devices.set(row.id, deviceFromRow(row, defaults));
  }
  for (const t of repos.devices.allTags()) devices.get(t.device_id)?.tags.push(t.tag);
  for (const c of repos.commands.open()) devices.get(c.deviceId)?.openCommands.push(c);
  return { devices, profiles, firmware, settings };
}
