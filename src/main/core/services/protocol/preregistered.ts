/**
 * Admission of a pre-registered device (imported before the hardware was switched on): it skips
 * the approval queue — the operator already vouched for the MAC — and arrives with its name,
 * place, notes, tags, profile and config overrides. The enrollment key of the `key` policy is
 * still required: a MAC is easy to copy, the key is not.
 */
import type { Preregistration } from '../../db/repos/preregistrations-repo';
import type { DeviceRuntime } from '../../state/runtime';
import { applyDeviceConfig } from '../config/config-core';
import type { ServiceContext } from '../context';
import { patchDevice } from '../devices/device-actions';

export const PREREGISTRATION_AUTHOR = 'pre-registration';

export function preregistrationOf(ctx: ServiceContext, id: string): Preregistration | undefined {
  return ctx.repos.preregistrations.get(id);
}

/** Inside the creating transaction, right after the device row exists. */
export function admitPreregistered(ctx: ServiceContext, device: DeviceRuntime, pre: Preregistration): void {
  const profileId = pre.profileId !== null && ctx.state.profiles.has(pre.profileId) ? pre.profileId : null;
  patchDevice(ctx, device, { name: pre.name, location: pre.location, notes: pre.notes, tags: pre.tags }, PREREGISTRATION_AUTHOR);
  if (profileId !== null || Object.keys(pre.overrides).length > 0) {
    ctx.repos.revisions.insert('device', device.id, PREREGISTRATION_AUTHOR, ctx.clock.now(), device.overrides, pre.overrides, 'pre-registered config');
    applyDeviceConfig(ctx, device, { overrides: structuredClone(pre.overrides), profileId });
  }
  ctx.repos.preregistrations.remove(device.id);
  ctx.events.record('approved', device.id, `${pre.name || device.id} admitted on first contact: it was pre-registered (${pre.source || 'import'})`, {
    preregistered: true, source: pre.source,
  });
}
