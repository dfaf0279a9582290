import type { Settings } from '../../../shared/api';
import { mergeConfig } from '../../../shared/config';
import type { Repos } from '../db/repos';
import { parseObject } from '../db/repos/json';
import type { DeviceRuntime, FleetState, ProfileRuntime } from './runtime';

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
    const overrides = parseObject(row.overrides);
    const defaults = row.profile_id === null ? {} : (profiles.get(row.profile_id)?.defaults ?? {});
    devices.set(row.id, {
      id: row.id, name: row.name, location: row.location, profileId: row.profile_id, tags: [], state: row.state,
      tokenHash: row.token_hash ? Buffer.from(row.token_hash, 'hex') : null, protocol: row.protocol,
      createdAt: row.created_at, lastSeenAt: row.last_seen_at, ip: row.ip, ssid: row.ssid, rssi: row.rssi,
      heap: row.heap, uptime: row.uptime, fwName: row.fw_name, fwVersion: row.fw_version, fwMd5: row.fw_md5,
      overrides, effective: mergeConfig(defaults, overrides), cfgsn: row.cfgsn, cfgsnReported: row.cfgsn_reported,
      checkinInterval: row.checkin_interval, firmwareId: row.firmware_id, status: row.status,
      ota: { state: row.ota_state, firmwareId: row.ota_firmware_id, message: row.ota_message ?? undefined, at: row.ota_at ?? undefined },
      lastTelemetryAt: 0, lastLivenessDeltaAt: 0, openCommands: [],
    });
  }
  for (const t of repos.devices.allTags()) devices.get(t.device_id)?.tags.push(t.tag);
  for (const c of repos.commands.open()) devices.get(c.deviceId)?.openCommands.push(c);
  return { devices, profiles, firmware, settings };
}
