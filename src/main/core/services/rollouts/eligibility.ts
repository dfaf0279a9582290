/**
 * Which devices a rollout may update, decided once when it is created (and again at offer time
 * for what can change meanwhile: a pin, the running image). Every refusal is a skip with a reason
 * the operator reads, never a device waiting forever.
 */
import type { FirmwareSummary, RolloutSkipReason } from '../../../../shared/api';
import type { DeviceRuntime } from '../../state/runtime';

/**
 * OTA slot of a device from the flash size it reports at register (`chip.flash`, bytes), for the
 * two-slot rBoot layout of firmware/fleetdesk.hw: with 2 MiB or more each slot is 992 KiB
 * (0xF8000); on a 1 MiB chip both slots share it, 0x7C000 each. A device that never reported its
 * flash is taken to have the common 4 MiB module.
 */
export function otaSlotBytes(flashBytes: number | null): number {
  if (flashBytes === null || flashBytes >= 2 * 1024 * 1024) return 0xf8000;
  if (flashBytes >= 1024 * 1024) return 0x7c000;
  return 0; // 512 KiB modules have no room for two slots
}

/** Numeric-aware ordering of version strings ("1.10.0" after "1.9.2"); < 0 when a is older. */
export function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

/** The device already runs this image: same md5, or the same name and version when it sends no md5. */
export function runsImage(device: DeviceRuntime, fw: FirmwareSummary): boolean {
  if (device.fwMd5 !== null) return device.fwMd5 === fw.md5.toLowerCase();
  return device.fwVersion === fw.version && (device.fwName === null || device.fwName === fw.name);
}

export interface SkipDecision { reason: RolloutSkipReason; message: string }

export function skipReason(
  device: DeviceRuntime,
  fw: FirmwareSummary,
  facts: { pinned: boolean; flashBytes: number | null; allowDowngrade: boolean; inOtherRollout: boolean },
): SkipDecision | null {
  if (device.state !== 'active') return { reason: 'not_eligible', message: `device is ${device.state}` };
  if (device.protocol === 'legacy') return { reason: 'legacy_cannot_update', message: 'cannot update: speaks the legacy protocol, which has no firmware offer' };
  if (facts.pinned) return { reason: 'pinned', message: 'firmware pinned by the operator' };
  if (facts.inOtherRollout) return { reason: 'in_other_rollout', message: 'already in another running or paused rollout' };
  if (runsImage(device, fw)) return { reason: 'already_on_image', message: `already runs ${fw.version}` };
  const slot = otaSlotBytes(facts.flashBytes);
  if (fw.size > slot) {
    return { reason: 'does_not_fit', message: `image of ${fw.size} bytes does not fit the ${slot}-byte OTA slot of a ${facts.flashBytes ?? '?'}-byte flash` };
  }
  if (!facts.allowDowngrade && device.fwVersion !== null && compareVersions(fw.version, device.fwVersion) < 0) {
    return { reason: 'downgrade', message: `${fw.version} is older than the running ${device.fwVersion}; allow downgrade to include it` };
  }
  return null;
}
