import type { ConfigRevision, ConfigView, Profile } from '../../../../shared/api';
import { type ConfigObject, configEquals } from '../../../../shared/config';
import { notFound } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import { type ServiceContext, deviceOrThrow } from '../context';
import type { Author, ConfigService } from '../contracts';
import { profileOrThrow, profileView } from '../profile-view';
import { applyDeviceConfig, configView, refreshProfileDevices } from './config-core';

/** New overrides for one device with their revision and event (inside the caller's transaction). */
export function setOverrides(ctx: ServiceContext, device: DeviceRuntime, overrides: ConfigObject, author: Author, reason: string): ConfigRevision {
  const before = device.overrides;
  const revision = ctx.repos.revisions.insert('device', device.id, author, ctx.clock.now(), before, overrides, reason);
  const changed = applyDeviceConfig(ctx, device, { overrides });
  ctx.events.record('config_changed', device.id, `config of ${device.name || device.id} changed by ${author} (${reason})`, {
    revisionId: revision.id, cfgsn: device.cfgsn, effectiveChanged: changed,
  });
  return revision;
}

export function setDefaults(ctx: ServiceContext, profileId: number, defaults: ConfigObject, author: Author, reason: string): ConfigRevision {
  const profile = profileOrThrow(ctx, profileId);
  const now = ctx.clock.now();
  const revision = ctx.repos.revisions.insert('profile', String(profileId), author, now, profile.defaults, defaults, reason);
  ctx.repos.profiles.setDefaults(profileId, JSON.stringify(defaults), now);
  ctx.undo.keep(profile);
  profile.defaults = defaults;
  profile.updatedAt = now;
  const bumped = refreshProfileDevices(ctx, profileId);
  ctx.events.record('config_changed', null, `defaults of profile ${profile.name} changed by ${author} (${reason})`, {
    profileId, revisionId: revision.id, devicesBumped: bumped.length,
  });
  ctx.bus.emit({ type: 'profile', profileId });
  return revision;
}

export function createConfigService(ctx: ServiceContext): ConfigService {
  return {
    forDevice: (id: string): ConfigView => configView(ctx.state, deviceOrThrow(ctx, id)),

    setDeviceOverrides(id, overrides, author, reason = 'edit'): ConfigView {
      const device = deviceOrThrow(ctx, id);
      if (!configEquals(device.overrides, overrides)) {
        ctx.atomically(() => setOverrides(ctx, device, structuredClone(overrides), author, reason));
      }
      return configView(ctx.state, device);
    },

    profileDefaults: (profileId: number): ConfigObject => structuredClone(profileOrThrow(ctx, profileId).defaults),

    setProfileDefaults(profileId, defaults, author, reason = 'edit'): Profile {
      const profile = profileOrThrow(ctx, profileId);
      if (!configEquals(profile.defaults, defaults)) {
        ctx.atomically(() => setDefaults(ctx, profileId, structuredClone(defaults), author, reason));
      }
      return profileView(ctx, profile);
    },

    history(target, limit = 50): ConfigRevision[] {
      const bounded = Math.max(1, Math.min(limit, 500));
      if ('deviceId' in target) return ctx.repos.revisions.history('device', deviceOrThrow(ctx, target.deviceId).id, bounded);
      profileOrThrow(ctx, target.profileId);
      return ctx.repos.revisions.history('profile', String(target.profileId), bounded);
    },

    restore(revisionId: number, author: Author): ConfigRevision {
      const revision = ctx.repos.revisions.get(revisionId);
      if (!revision) throw notFound('config revision', revisionId);
      const reason = `restore of #${revision.id}`;
      if (revision.target === 'device') {
        const device = ctx.state.devices.get(revision.targetId);
        if (!device) throw notFound('device', revision.targetId, 'it was deleted after this revision');
        return ctx.atomically(() => setOverrides(ctx, device, revision.after, author, reason));
      }
      const profileId = Number(revision.targetId);
      profileOrThrow(ctx, profileId);
      return ctx.atomically(() => setDefaults(ctx, profileId, revision.after, author, reason));
    },
  };
}
