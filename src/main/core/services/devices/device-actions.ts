/**
 * Single-device operator actions, each to be run inside ctx.atomically (the admin service wraps
 * one, bulk wraps many in one transaction). Writes first, memory after, then deltas and wake-ups.
 */
import type { DevicePatch } from '../../../../shared/api';
import type { DeviceState } from '../../../../shared/status';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, deviceChanged } from '../context';
import type { Author } from '../contracts';
import { closeClaim, openClaimWindow } from '../admission/claims';
import { applyDeviceConfig } from '../config/config-core';
import { currentLiveness } from '../status/status-monitor';

const STATE_EVENT = { active: 'approved', blocked: 'blocked', pending: 'approved' } as const;

export function changeState(ctx: ServiceContext, device: DeviceRuntime, state: DeviceState, author: Author, verb: string): void {
  if (device.state === state) return;
  ctx.undo.keep(device);
  const previous = device.state;
  device.state = state;
  const status = currentLiveness(ctx, device);
  device.state = previous;
  ctx.repos.devices.setState(device.id, state, status);
  const kind = previous === 'blocked' && state === 'active' ? 'unblocked' : STATE_EVENT[state];
  ctx.events.record(kind, device.id, `${device.name || device.id} ${verb} by ${author}`, { from: previous, to: state, author });
  device.state = state;
  device.status = status;
  ctx.bus.emit({ type: 'status', id: device.id, status, lastSeenAt: device.lastSeenAt });
  deviceChanged(ctx, device);
}

/** The old token stops working, and a claim window opens for this device only (see admission/claims.ts). */
export function resetCredentials(ctx: ServiceContext, device: DeviceRuntime, author: Author): void {
  ctx.repos.devices.setToken(device.id, null);
  const window = openClaimWindow(ctx, device);
  ctx.events.record('credentials_reset', device.id, `credentials of ${device.name || device.id} reset by ${author}; it may register again until ${new Date(window.expiresAt).toISOString()}`, {
    author, claimWindowUntil: window.expiresAt,
  });
  ctx.undo.keep(device);
  device.tokenHash = null;
  deviceChanged(ctx, device);
  ctx.bus.emit({ type: 'limits' });
}

export function removeDevice(ctx: ServiceContext, device: DeviceRuntime, author: Author): void {
  closeClaim(ctx, device.id);
  ctx.repos.devices.remove(device.id, device.cfgsn);
  ctx.events.record('deleted', device.id, `${device.name || device.id} deleted by ${author}`, { author, name: device.name });
  ctx.undo.keepEntry(ctx.state.devices, device.id);
  ctx.state.devices.delete(device.id);
  ctx.writeBehind.forget(device);
  // what the write-behind still held for it goes to disk after all
  ctx.undo.onUndo(() => ctx.writeBehind.markChanged(device));
  ctx.bus.emit({ type: 'device_removed', id: device.id });
  ctx.waiters.notify(device.id);
}

export function patchDevice(ctx: ServiceContext, device: DeviceRuntime, patch: DevicePatch, author: Author): void {
  const { repos } = ctx;
  if (patch.name !== undefined) repos.devices.patch(device.id, 'name', patch.name);
  if (patch.location !== undefined) repos.devices.patch(device.id, 'location', patch.location);
  if (patch.notes !== undefined) repos.devices.patch(device.id, 'notes', patch.notes);
  if (patch.checkinInterval !== undefined) repos.devices.patch(device.id, 'checkinInterval', patch.checkinInterval);
  const tags = patch.tags === undefined ? undefined : [...new Set(patch.tags.map((t) => t.trim()))].sort();
  if (tags) repos.devices.replaceTags(device.id, tags);
  ctx.undo.keep(device);
  if (patch.name !== undefined) device.name = patch.name;
  if (patch.location !== undefined) device.location = patch.location;
  if (patch.checkinInterval !== undefined) device.checkinInterval = patch.checkinInterval;
  if (tags) device.tags = tags;
  if (patch.profileId !== undefined && patch.profileId !== device.profileId) {
    const from = device.profileId;
    ctx.repos.revisions.insert('device', device.id, author, ctx.clock.now(), device.overrides, device.overrides,
      `profile ${profileLabel(ctx, from)} → ${profileLabel(ctx, patch.profileId)}`);
    applyDeviceConfig(ctx, device, { profileId: patch.profileId });
    ctx.events.record('config_changed', device.id, `profile of ${device.name || device.id} set to ${profileLabel(ctx, patch.profileId)} by ${author}`, {
      from, to: patch.profileId, cfgsn: device.cfgsn, author,
    });
  }
  deviceChanged(ctx, device);
}

function profileLabel(ctx: ServiceContext, id: number | null): string {
  return id === null ? '(none)' : (ctx.state.profiles.get(id)?.name ?? `#${id}`);
}

export function setTags(ctx: ServiceContext, device: DeviceRuntime, add: readonly string[], remove: readonly string[]): void {
  const next = new Set(device.tags);
  for (const t of add) next.add(t.trim());
  for (const t of remove) next.delete(t.trim());
  const tags = [...next].sort();
  if (tags.join('\n') === device.tags.join('\n')) return;
  ctx.repos.devices.replaceTags(device.id, tags);
  ctx.undo.keep(device);
  device.tags = tags;
  deviceChanged(ctx, device);
}
