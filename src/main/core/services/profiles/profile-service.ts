import type { Profile } from '../../../../shared/api';
import { FleetError } from '../../errors';
import { type ServiceContext, emitDevice } from '../context';
import type { Author, ProfileService } from '../contracts';
import { refreshProfileDevices } from '../config/config-core';
import { allProfiles, profileOrThrow, profileView } from '../profile-view';

function assertNameFree(ctx: ServiceContext, name: string, exceptId?: number): void {
  const existing = ctx.repos.profiles.idByName(name);
  if (existing !== undefined && existing !== exceptId) throw new FleetError('conflict', `A profile named “${name}” already exists. Choose another name.`);
}

export function createProfileService(ctx: ServiceContext): ProfileService {
  return {
    list: () => allProfiles(ctx),
    get: (id: number) => profileView(ctx, profileOrThrow(ctx, id)),

    create(input, author: Author): Profile {
      assertNameFree(ctx, input.name);
      const now = ctx.clock.now();
      const profile = ctx.atomically(() => {
        const id = ctx.repos.profiles.insert(input.name, input.description, JSON.stringify(input.defaults), now);
        if (Object.keys(input.defaults).length > 0) {
          ctx.repos.revisions.insert('profile', String(id), author, now, {}, input.defaults, 'created');
        }
        ctx.events.record('profile_changed', null, `profile ${input.name} created by ${author}`, { profileId: id, author });
        const created = {
          id, name: input.name, description: input.description, defaults: structuredClone(input.defaults),
          firmwareId: null, createdAt: now, updatedAt: now,
        };
        ctx.undo.keepEntry(ctx.state.profiles, id);
        ctx.state.profiles.set(id, created);
        ctx.bus.emit({ type: 'profile', profileId: id });
        return created;
      });
      return profileView(ctx, profile);
    },

    patch(id, input, author: Author): Profile {
      const profile = profileOrThrow(ctx, id);
      const name = input.name ?? profile.name;
      const description = input.description ?? profile.description;
      if (name !== profile.name) assertNameFree(ctx, name, id);
      const now = ctx.clock.now();
      ctx.atomically(() => {
        ctx.repos.profiles.patch(id, name, description, now);
        ctx.events.record('profile_changed', null, `profile ${name} edited by ${author}`, { profileId: id, author });
        const renamed = name !== profile.name;
        ctx.undo.keep(profile);
        Object.assign(profile, { name, description, updatedAt: now });
        ctx.bus.emit({ type: 'profile', profileId: id });
        // Device rows show the profile name: tell the UI about each of them after a rename.
        if (renamed) for (const d of ctx.state.devices.values()) if (d.profileId === id) emitDevice(ctx, d);
      });
      return profileView(ctx, profile);
    },

    remove(id: number, author: Author): { devicesDetached: number } {
      const profile = profileOrThrow(ctx, id);
      return ctx.atomically(() => {
        ctx.repos.profiles.remove(id);
        ctx.undo.keepEntry(ctx.state.profiles, id);
        ctx.state.profiles.delete(id);
        const members = [...ctx.state.devices.values()].filter((d) => d.profileId === id).length;
        const bumped = refreshProfileDevices(ctx, id, true);
        ctx.events.record('profile_changed', null, `profile ${profile.name} deleted by ${author}`, {
          profileId: id, author, devicesDetached: members, devicesBumped: bumped.length,
        });
        ctx.bus.emit({ type: 'profile', profileId: id });
        return { devicesDetached: members };
      });
    },
  };
}
