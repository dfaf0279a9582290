/**
 * Profile lookups and their API view, shared by the services that name a profile (config, profiles,
 * firmware, devices). It sits beside them rather than in profiles/ so that config (which edits
 * profile defaults) and profiles (whose changes re-derive device config) do not import each other.
 */
import type { Profile } from '../../../shared/api';
import { notFound } from '../errors';
import type { ProfileRuntime } from '../state/runtime';
import type { ServiceContext } from './context';

export function profileOrThrow(ctx: ServiceContext, id: number): ProfileRuntime {
  const profile = ctx.state.profiles.get(id);
  if (!profile) throw notFound('profile', id);
  return profile;
}

function deviceCounts(ctx: ServiceContext): Map<number, number> {
  const counts = new Map<number, number>();
  for (const d of ctx.state.devices.values()) if (d.profileId !== null) counts.set(d.profileId, (counts.get(d.profileId) ?? 0) + 1);
  return counts;
}

export function profileView(ctx: ServiceContext, p: ProfileRuntime, counts = deviceCounts(ctx)): Profile {
  return {
    id: p.id, name: p.name, description: p.description, defaults: structuredClone(p.defaults),
    deviceCount: counts.get(p.id) ?? 0, firmwareId: p.firmwareId, createdAt: p.createdAt, updatedAt: p.updatedAt,
  };
}

export function allProfiles(ctx: ServiceContext): Profile[] {
  const counts = deviceCounts(ctx);
  return [...ctx.state.profiles.values()].map((p) => profileView(ctx, p, counts));
}
