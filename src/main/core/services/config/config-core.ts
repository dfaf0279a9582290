/**
 * The one place a device's effective config changes. cfgsn rises by one whenever the effective
 * config (profile defaults ⊕ overrides) differs from the last one — never on a no-op — and never
 * goes back, so restoring an old revision is a new cfgsn too.
 */
import type { ConfigView } from '../../../../shared/api';
import { type ConfigObject, configEquals, configSources, mergeConfig } from '../../../../shared/config';
import type { DeviceRuntime, FleetState } from '../../state/runtime';
import { type ServiceContext, deviceChanged, emitDevice } from '../context';

export function defaultsOf(state: FleetState, profileId: number | null): ConfigObject {
  return profileId === null ? {} : (state.profiles.get(profileId)?.defaults ?? {});
}

export function configView(state: FleetState, device: DeviceRuntime): ConfigView {
  const defaults = defaultsOf(state, device.profileId);
  return {
    defaults: structuredClone(defaults),
    overrides: structuredClone(device.overrides),
    effective: structuredClone(device.effective),
    sources: configSources(defaults, device.overrides),
    cfgsn: device.cfgsn,
    cfgsnReported: device.cfgsnReported,
    inSync: device.cfgsnReported === device.cfgsn,
  };
}

/**
 * Gives the device new overrides and/or a new profile (call inside ctx.atomically), after the
 * profile's defaults may have changed in memory. Returns whether the effective config changed.
 */
export function applyDeviceConfig(
  ctx: ServiceContext,
  device: DeviceRuntime,
  next: { overrides?: ConfigObject; profileId?: number | null },
): boolean {
  const overrides = next.overrides ?? device.overrides;
  const profileId = next.profileId !== undefined ? next.profileId : device.profileId;
  const effective = mergeConfig(defaultsOf(ctx.state, profileId), overrides);
  const changed = !configEquals(effective, device.effective);
  const cfgsn = changed ? device.cfgsn + 1 : device.cfgsn;
  ctx.undo.keep(device);
  if (next.overrides !== undefined || changed) ctx.repos.devices.setConfig(device.id, JSON.stringify(overrides), cfgsn);
  if (next.profileId !== undefined && next.profileId !== device.profileId) ctx.repos.devices.patch(device.id, 'profileId', profileId);
  device.overrides = overrides;
  device.profileId = profileId;
  device.effective = effective;
  device.cfgsn = cfgsn;
  if (changed) deviceChanged(ctx, device);
  else emitDevice(ctx, device);
  return changed;
}

/** Re-derives the effective config of every device of a profile whose defaults changed or vanished. */
export function refreshProfileDevices(ctx: ServiceContext, profileId: number, detach = false): DeviceRuntime[] {
  const bumped: DeviceRuntime[] = [];
  for (const device of ctx.state.devices.values()) {
    if (device.profileId !== profileId) continue;
    ctx.undo.keep(device);
    if (detach) device.profileId = null; // the row was detached by ON DELETE SET NULL
    if (applyDeviceConfig(ctx, device, {})) bumped.push(device);
  }
  return bumped;
}
