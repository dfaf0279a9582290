/**
 * What a device in a rollout does, seen from the server: its check-ins (the image it runs, its
 * boot report, its OTA report) and its downloads move its entry along
 * queued → offered → downloading → verifying → rebooting → on trial → updated, or to failed /
 * rolled back. Everything here is Map lookups on the check-in path; nothing touches the disk.
 */
import type { CheckinRequest, FirmwareOffer } from '../../../../shared/protocol';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import { runsImage } from './eligibility';
import type { RolloutBook } from './rollout-book';
import { type EntryRuntime, MAX_DOWNLOAD_CUTS, OPEN_STATES, type RolloutRuntime, TOOK_IMAGE_STATES } from './rollout-types';

export interface ProgressDeps {
  ctx: ServiceContext;
  book: RolloutBook;
  /** a device of this rollout settled (updated, failed, rolled back): judge its phase now */
  settled(rollout: RolloutRuntime): void;
  /** the device runs the image confirmed: it keeps it as its own assignment */
  updated(device: DeviceRuntime, firmwareId: number): void;
}

const label = (device: DeviceRuntime): string => device.name || device.id;

function fail(deps: ProgressDeps, rollout: RolloutRuntime, entry: EntryRuntime, device: DeviceRuntime, kind: 'failed' | 'rolled_back', reason: EntryRuntime['reason'], message: string): void {
  deps.book.move(entry, kind, deps.ctx.clock.now(), reason, message);
  deps.ctx.events.recordLater(kind === 'rolled_back' ? 'firmware_rolled_back' : 'firmware_failed', device.id,
    `${label(device)}: ${rollout.firmwareLabel} ${kind === 'rolled_back' ? 'rolled back' : 'failed'} (${message})`,
    { rolloutId: rollout.id, firmwareId: rollout.firmwareId, reason });
  deps.settled(rollout);
}

/** The device is still being watched by its phase's gate after it updated. */
function phaseWatching(rollout: RolloutRuntime, entry: EntryRuntime): boolean {
  const phase = rollout.phases[entry.phase];
  return phase !== undefined && phase.state !== 'passed' && phase.state !== 'rolled_back' && phase.state !== 'aborted';
}

/** Takes a check-in of a device; returns nothing, the entry and the live delta carry the news. */
export function observeCheckin(deps: ProgressDeps, device: DeviceRuntime, body: CheckinRequest): void {
  const entry = deps.book.active.get(device.id);
  if (!entry) return;
  const rollout = deps.book.rollouts.get(entry.rolloutId)!;
  const fw = rollout.firmwareId === null ? undefined : deps.ctx.state.firmware.get(rollout.firmwareId);
  if (!fw) return;
  const now = deps.ctx.clock.now();
  const boot = body.boot;
  const open = OPEN_STATES.has(entry.state);

  if (open && body.ota && !body.ota.ok && body.ota.id === fw.id && entry.state !== 'queued') {
    const message = body.ota.message ?? 'update failed';
    if (body.ota.rolledBack) fail(deps, rollout, entry, device, 'rolled_back', 'boot_failed', message);
    else fail(deps, rollout, entry, device, 'failed', /download|size|md5/i.test(message) ? 'download_failed' : 'update_failed', message);
    return;
  }
  if (runsImage(device, fw)) {
    if (open) {
      if (boot?.trial) {
        if (entry.state !== 'on_trial') deps.book.move(entry, 'on_trial', now);
      } else {
        entry.bootCount = boot?.count ?? null;
        deps.book.move(entry, 'updated', now);
        deps.updated(device, fw.id);
        deps.settled(rollout);
      }
      return;
    }
    if (entry.state !== 'updated' || !phaseWatching(rollout, entry)) return;
    const gate = rollout.gate;
    if (boot && entry.bootCount !== null && boot.count - entry.bootCount > gate.maxReboots) {
      fail(deps, rollout, entry, device, 'failed', 'reboot_loop', `${boot.count - entry.bootCount} reboots since the update (last: ${boot.reason})`);
    } else if (gate.heapFloor !== null && body.heap !== undefined && body.heap < gate.heapFloor) {
      fail(deps, rollout, entry, device, 'failed', 'low_heap', `free heap ${body.heap} bytes is below the floor of ${gate.heapFloor}`);
    }
    return;
  }
  // still (or again) on another image
  if (entry.state === 'on_trial') {
    fail(deps, rollout, entry, device, 'rolled_back', 'boot_failed', `came back on ${device.fwVersion ?? 'its old image'}${boot ? ` (boot: ${boot.reason})` : ''}`);
  } else if (TOOK_IMAGE_STATES.has(entry.state) && boot && entry.bootCount !== null && boot.count > entry.bootCount) {
    fail(deps, rollout, entry, device, 'rolled_back', 'boot_failed', `rebooted (${boot.reason}) and came back on ${device.fwVersion ?? 'its old image'}`);
  } else if ((entry.state === 'queued' || entry.state === 'offered' || entry.state === 'downloading') && boot && boot.count !== entry.bootCount) {
    entry.bootCount = boot.count; // the boot it takes the image from
    deps.book.touch(entry);
  }
}

/**
 * The rollout's offer for this device: undefined when no rollout owns the device (the operator's
 * assignment decides), null when one owns it and there is nothing to offer now.
 */
export function rolloutOffer(deps: ProgressDeps, device: DeviceRuntime): FirmwareOffer | null | undefined {
  const entry = deps.book.active.get(device.id);
  if (!entry || !OPEN_STATES.has(entry.state)) return entry?.state === 'updated' ? null : undefined;
  const rollout = deps.book.rollouts.get(entry.rolloutId)!;
  const fw = rollout.firmwareId === null ? undefined : deps.ctx.state.firmware.get(rollout.firmwareId);
  if (!fw || deps.ctx.images.damageOf(fw.sha256) !== null) return null;
  const offer: FirmwareOffer = { id: fw.id, version: fw.version, url: `/api/v1/devices/${device.id}/firmware/${fw.id}`, size: fw.size, md5: fw.md5 };
  if (entry.state === 'offered' || entry.state === 'downloading') return offer;
  if (entry.state !== 'queued' || rollout.state !== 'running') return null;
  const phase = rollout.phases[entry.phase];
  if (!phase) return null;
  if (phase.state !== 'running' && phase.state !== 'gating' && phase.state !== 'passed') return null;
  if (deps.book.slotsInUse(rollout.id) >= rollout.maxConcurrent) return null;
  const now = deps.ctx.clock.now();
  entry.offeredAt = now;
  deps.book.move(entry, 'offered', now);
  return offer;
}

/** Whether the device may download this image because its rollout offers it. */
export function rolloutServes(deps: ProgressDeps, deviceId: string, firmwareId: number): boolean {
  const entry = deps.book.active.get(deviceId);
  if (!entry || (entry.state !== 'offered' && entry.state !== 'downloading')) return false;
  return deps.book.rollouts.get(entry.rolloutId)?.firmwareId === firmwareId;
}

export function downloadStarted(deps: ProgressDeps, deviceId: string, firmwareId: number): void {
  const entry = deps.book.active.get(deviceId);
  if (entry?.state === 'offered' && rolloutServes(deps, deviceId, firmwareId)) deps.book.move(entry, 'downloading', deps.ctx.clock.now());
}

/** The image went out whole (the device now verifies it), or the connection broke midway. */
export function downloadEnded(deps: ProgressDeps, deviceId: string, firmwareId: number, complete: boolean): void {
  const entry = deps.book.active.get(deviceId);
  if (entry?.state !== 'downloading' || deps.book.rollouts.get(entry.rolloutId)?.firmwareId !== firmwareId) return;
  const now = deps.ctx.clock.now();
  if (complete) {
    deps.book.move(entry, 'verifying', now);
    return;
  }
  entry.cuts += 1;
  const device = deps.ctx.state.devices.get(deviceId);
  const rollout = deps.book.rollouts.get(entry.rolloutId)!;
  if (entry.cuts >= MAX_DOWNLOAD_CUTS && device) {
    fail(deps, rollout, entry, device, 'failed', 'download_failed', `download cut ${entry.cuts} times`);
  } else {
    deps.book.move(entry, 'offered', now, null, `download cut midway (${entry.cuts} of ${MAX_DOWNLOAD_CUTS} tries)`);
  }
}
