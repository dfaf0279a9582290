import { plural } from '../../../../shared/plural';
import { FIRMWARE_MAX_BYTES, type FirmwareSummary } from '../../../../shared/api';
import { FleetError, notFound } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, deviceChanged } from '../context';
import type { Author, FirmwareService } from '../contracts';
import { deviceIdOrThrow } from '../../ids';
import { firmwareDir, removeFirmwareFile } from '../../firmware-storage';
import { profileOrThrow } from '../profile-view';
import { storeImage } from './upload';

export interface FirmwareServiceOptions { maxBytes?: number }

/** A new assignment clears a recorded failure, so the image is offered again (docs/protocol.md §7). */
function resetOta(ctx: ServiceContext, device: DeviceRuntime): void {
  if (device.ota.state === 'failed' || device.ota.state === 'updated') {
    device.ota = { state: 'none', firmwareId: null };
    ctx.writeBehind.markChanged(device);
  }
  deviceChanged(ctx, device);
}

export function createFirmwareService(ctx: ServiceContext, options: FirmwareServiceOptions = {}): FirmwareService {
  const maxBytes = options.maxBytes ?? FIRMWARE_MAX_BYTES;
  const dir = firmwareDir(ctx.dataDir);
  return {
    list: () =>
      [...ctx.state.firmware.values()].sort((a, b) => b.id - a.id).map((f) => {
        const damaged = ctx.images.damageOf(f.sha256);
        return damaged === null ? { ...f } : { ...f, damaged };
      }),

    async upload(meta, body, author: Author): Promise<FirmwareSummary> {
      const stored = await storeImage(dir, body, maxBytes, ctx.randomBytes(8).toString('hex'));
      ctx.images.verify(stored.sha256); // the same bytes uploaded again repair a damaged file
      // Two rows for one image only confuse assignment. The file stays: the stored image is the
      // same bytes under the same <sha256> name.
      const same = [...ctx.state.firmware.values()].find((f) => f.name === meta.name && f.version === meta.version && f.md5 === stored.md5);
      if (same) {
        const when = new Date(same.createdAt).toISOString().slice(0, 16).replace('T', ' ');
        throw new FleetError('conflict', `${same.name} ${same.version} with this MD5 is already uploaded (image #${same.id}, ${when} UTC): assign that one`, { existingId: same.id });
      }
      const firmware = ctx.atomically(() => {
        const created = ctx.repos.firmware.insert(
          { name: meta.name, version: meta.version, notes: meta.notes ?? '', createdAt: ctx.clock.now(), ...stored },
          author,
        );
        ctx.events.record('firmware_uploaded', null, `${meta.name} ${meta.version} uploaded by ${author} (${stored.size} bytes)`, {
          firmwareId: created.id, sha256: stored.sha256, author,
        });
        ctx.undo.keepEntry(ctx.state.firmware, created.id);
        ctx.state.firmware.set(created.id, created);
        ctx.bus.emit({ type: 'firmware' });
        return created;
      });
      return { ...firmware };
    },

    remove(id: number, author: Author): void {
      const firmware = ctx.state.firmware.get(id);
      if (!firmware) throw notFound('firmware', id);
      const affected: DeviceRuntime[] = [];
      ctx.atomically(() => {
        ctx.repos.firmware.remove(id); // assignments are cleared by ON DELETE SET NULL
        ctx.events.record('firmware_removed', null, `${firmware.name} ${firmware.version} removed by ${author}`, { firmwareId: id, author });
        ctx.undo.keepEntry(ctx.state.firmware, id);
        ctx.state.firmware.delete(id);
        for (const p of ctx.state.profiles.values()) {
          if (p.firmwareId !== id) continue;
          ctx.undo.keep(p);
          p.firmwareId = null;
        }
        for (const d of ctx.state.devices.values()) {
          if (d.firmwareId === id) {
            ctx.undo.keep(d);
            d.firmwareId = null;
          }
          if (d.ota.firmwareId === id) affected.push(d);
        }
        ctx.bus.emit({ type: 'firmware' });
      });
      for (const d of affected) resetOta(ctx, d);
      // The file goes only when no other upload of the same bytes still needs it.
      if (ctx.repos.firmware.usesOfFile(firmware.sha256) === 0) removeFirmwareFile(ctx.dataDir, firmware.sha256);
    },

    /** OTA and status rows are as current as memory (the read barrier writes what trails first). */
    devices(id: number) {
      if (!ctx.state.firmware.has(id)) throw notFound('firmware', id);
      return ctx.repos.firmware.devicesOf(id);
    },

    assign(id: number | null, target, author: Author): { affected: number; skippedLegacy: string[] } {
      if (id !== null && !ctx.state.firmware.has(id)) throw notFound('firmware', id);
      const devices = (target.deviceIds ?? []).map((raw) => {
        const device = ctx.state.devices.get(deviceIdOrThrow(raw));
        if (!device) throw notFound('device', raw);
        return device;
      });
      const profile = target.profileId === undefined ? null : profileOrThrow(ctx, target.profileId);
      if (devices.length === 0 && !profile) throw new FleetError('bad_request', 'give deviceIds or a profileId to assign to');
      // The legacy protocol has no firmware offer: an assignment there would wait forever.
      // Members of a profile keep the profile's image and show "cannot update" in the rollout.
      const legacy = id === null ? [] : devices.filter((d) => d.protocol === 'legacy');
      if (legacy.length > 0 && legacy.length === devices.length && !profile) {
        const names = legacy.slice(0, 5).map((d) => d.name || d.id).join(', ');
        throw new FleetError('conflict', `cannot update: legacy protocol (${names}${legacy.length > 5 ? ', …' : ''}); such devices take no firmware updates`, {
          legacy: legacy.map((d) => d.id),
        });
      }
      devices.splice(0, devices.length, ...devices.filter((d) => !legacy.includes(d)));
      const touched = new Set<DeviceRuntime>(devices);
      ctx.atomically(() => {
        const now = ctx.clock.now();
        for (const d of devices) ctx.repos.devices.setFirmware(d.id, id);
        if (profile) ctx.repos.profiles.setFirmware(profile.id, id, now);
        const label = id === null ? 'unassigned' : `${ctx.state.firmware.get(id)!.name} ${ctx.state.firmware.get(id)!.version} assigned`;
        ctx.events.record('firmware_assigned', null, `${label} by ${author} (${plural(devices.length, 'device')}${profile ? `, profile ${profile.name}` : ''})`, {
          firmwareId: id, deviceIds: devices.map((d) => d.id), profileId: profile?.id ?? null, author,
        });
        for (const d of devices) {
          ctx.undo.keep(d);
          d.firmwareId = id;
        }
        if (profile) {
          ctx.undo.keep(profile);
          profile.firmwareId = id;
          profile.updatedAt = now;
          for (const d of ctx.state.devices.values()) if (d.profileId === profile.id) touched.add(d);
          ctx.bus.emit({ type: 'profile', profileId: profile.id });
        }
        for (const d of touched) resetOta(ctx, d);
      });
      return { affected: touched.size, skippedLegacy: legacy.map((d) => d.id) };
    },
  };
}
