/** Pure pieces of rule evaluation: scopes, missed check-ins, per-check-in conditions, messages. */
import type { AlertRule, AlertScope } from '../../../../shared/api/alerts';
import { type DeviceRuntime, type FleetState, assignedFirmwareId, intervalOf } from '../../state/runtime';

export type ScopeMatch = (device: DeviceRuntime) => boolean;

export function scopeMatcher(scope: AlertScope): ScopeMatch {
  if ('all' in scope) return () => true;
  if ('profileId' in scope) return (d) => d.profileId === scope.profileId;
  if ('tag' in scope) return (d) => d.tags.includes(scope.tag);
  const ids = new Set(scope.devices.map((id) => id.toLowerCase()));
  return (d) => ids.has(d.id);
}

/**
 * Check-ins missed since the last one: a device counts as having missed one once it is half an
 * interval past due (the status monitor calls the same moment "late" at its default 1.5×), so a
 * device that is a little slow never counts as missing.
 */
export function missedCheckins(device: DeviceRuntime, state: FleetState, now: number): number {
  const since = device.lastSeenAt ?? device.createdAt;
  const intervalMs = intervalOf(device, state.settings) * 1000;
  return Math.max(0, Math.floor((now - since) / intervalMs - 0.5));
}

/** The firmware version the device's profile wants, when it has one. */
export function expectedVersion(device: DeviceRuntime, state: FleetState): string | null {
  const id = assignedFirmwareId(device, state);
  return id === null ? null : (state.firmware.get(id)?.version ?? null);
}

/** Conditions judged on each check-in: bad or not, and the value measured; null = nothing to judge. */
export function checkinCondition(rule: AlertRule, device: DeviceRuntime, state: FleetState): { bad: boolean; value: number | string } | null {
  switch (rule.kind) {
    case 'signal':
      return device.rssi === null ? null : { bad: device.rssi < rule.belowDbm, value: device.rssi };
    case 'heap':
      return device.heap === null ? null : { bad: device.heap < rule.belowBytes, value: device.heap };
    case 'version_drift': {
      const expected = expectedVersion(device, state);
      if (expected === null || device.fwVersion === null) return null;
      return { bad: device.fwVersion !== expected, value: device.fwVersion };
    }
    default:
      return null;
  }
}

/** One line for the notification centre, the event log and webhooks. */
export function describeAlert(rule: AlertRule, deviceName: string, state: 'firing' | 'resolved', value: number | string | null): string {
  if (state === 'resolved') return `${deviceName}: ${rule.name} recovered`;
  switch (rule.kind) {
    case 'offline': return `${deviceName} missed ${String(value)} check-in${value === 1 ? '' : 's'} (${rule.name})`;
    case 'signal': return `${deviceName} signal ${String(value)} dBm is below ${rule.belowDbm} dBm (${rule.name})`;
    case 'heap': return `${deviceName} free heap ${String(value)} bytes is below ${rule.belowBytes} (${rule.name})`;
    case 'reboot_loop': return `${deviceName} rebooted ${String(value)} times within ${rule.windowMinutes} min (${rule.name})`;
    case 'version_drift': return `${deviceName} runs firmware ${String(value)}, not its profile's (${rule.name})`;
    case 'config_pending': return `${deviceName} has not applied its config for ${String(value)} s (${rule.name})`;
  }
}

/** The name a rule gets when the operator gives none. */
export function defaultRuleName(rule: Pick<AlertRule, 'kind'>): string {
  const names: Record<AlertRule['kind'], string> = {
    offline: 'Offline', signal: 'Weak signal', heap: 'Low heap', reboot_loop: 'Reboot loop',
    version_drift: 'Firmware drift', config_pending: 'Config not applied',
  };
  return names[rule.kind];
}
