/**
 * What undoes a bulk action (collected while it runs) and the undo itself. An undo never
 * overwrites a later change: a device whose config or profile moved on since is left alone and
 * reported as skipped.
 */
import type { BulkUndo, BulkUndoResult } from '../../../../shared/api/bulk-undo';
import { configEquals } from '../../../../shared/config';
import type { DeviceRuntime } from '../../state/runtime';
import type { ServiceContext } from '../context';
import type { Author } from '../contracts';
import { setOverrides } from '../config/config-service';
import { patchDevice, setTags } from './device-actions';

export class UndoCollector {
  private readonly revisions: number[] = [];
  private readonly profiles = new Map<string, { ids: string[]; profileId: number | null; from: number | null }>();
  private readonly tags = new Map<string, { ids: string[]; add: string[]; remove: string[] }>();

  revision(id: number | null): void {
    if (id !== null) this.revisions.push(id);
  }

  profile(deviceId: string, previous: number | null, now: number | null): void {
    const key = `${previous}`;
    const group = this.profiles.get(key) ?? { ids: [], profileId: previous, from: now };
    group.ids.push(deviceId);
    this.profiles.set(key, group);
  }

  /** Tags the action added and removed on one device (inverse: remove and add them back). */
  tagChange(deviceId: string, added: string[], removed: string[]): void {
    if (added.length === 0 && removed.length === 0) return;
    const key = JSON.stringify([added, removed]);
    const group = this.tags.get(key) ?? { ids: [], add: removed, remove: added };
    group.ids.push(deviceId);
    this.tags.set(key, group);
  }

  result(): BulkUndo | undefined {
    if (this.revisions.length + this.profiles.size + this.tags.size === 0) return undefined;
    return { revisions: this.revisions, profiles: [...this.profiles.values()], tags: [...this.tags.values()] };
  }
}

export function undoBulk(ctx: ServiceContext, undo: BulkUndo, author: Author): BulkUndoResult {
  const restored = new Set<string>();
  const skipped = new Set<string>();
  const device = (id: string): DeviceRuntime | undefined => ctx.state.devices.get(id);
  ctx.atomically(() => {
    for (const revisionId of undo.revisions) {
      const revision = ctx.repos.revisions.get(revisionId);
      const target = revision?.target === 'device' ? device(revision.targetId) : undefined;
      if (!revision || !target) continue; // deleted since: nothing to put back
      if (!configEquals(target.overrides, revision.after)) skipped.add(target.id);
      else {
        setOverrides(ctx, target, revision.before, author, `undo of #${revision.id}`);
        restored.add(target.id);
      }
    }
    for (const group of undo.profiles) {
      const profileGone = group.profileId !== null && !ctx.state.profiles.has(group.profileId);
      for (const id of group.ids) {
        const target = device(id);
        if (!target) continue;
        if (profileGone || target.profileId !== group.from) skipped.add(id);
        else {
          patchDevice(ctx, target, { profileId: group.profileId }, author);
          restored.add(id);
        }
      }
    }
    for (const group of undo.tags) {
      for (const id of group.ids) {
        const target = device(id);
        if (!target) continue;
        setTags(ctx, target, group.add, group.remove);
        restored.add(id);
      }
    }
  });
  for (const id of restored) skipped.delete(id);
  return { restored: restored.size, skipped: [...skipped] };
}
