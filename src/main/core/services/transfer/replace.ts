/**
 * Replacing a dead device: its successor (a new MAC waiting in pending, or pre-registered) takes
 * over name, location, notes, tags, profile, config overrides and config history; the old device
 * is retired — blocked, credentials dropped, pointing at its successor — so its history stays
 * readable and the old hardware cannot come back unnoticed.
 */
import type { ReplaceResult } from '../../../../shared/api/transfer';
import { normalizeDeviceId } from '../../../../shared/device-id';
import { FleetError } from '../../errors';
import type { DeviceRuntime } from '../../state/runtime';
import { deviceOrThrow, type ServiceContext } from '../context';
import type { Author } from '../contracts';
import { setOverrides } from '../config/config-service';
import { changeState, patchDevice, resetCredentials } from '../devices/device-actions';

function retiredFor(ctx: ServiceContext, id: string): string | null {
  return (ctx.db.prepare('SELECT retired_for FROM devices WHERE id = ?').pluck().get(id) as string | null | undefined) ?? null;
}

export function replaceDevice(ctx: ServiceContext, rawOld: string, rawNew: string, author: Author): ReplaceResult {
  const old = deviceOrThrow(ctx, rawOld);
  const newId = normalizeDeviceId(rawNew);
  if (!newId) throw new FleetError('bad_id', '"with" must be a MAC address or a short name of letters, digits, _ and -');
  if (newId === old.id) throw new FleetError('bad_request', 'a device cannot replace itself');
  const already = retiredFor(ctx, old.id);
  if (already) throw new FleetError('conflict', `${old.id} was already replaced by ${already}`);
  const successor = ctx.state.devices.get(newId);
  const pre = successor ? undefined : ctx.repos.preregistrations.get(newId);
  if (successor && successor.state !== 'pending') {
    throw new FleetError('conflict', `${newId} is ${successor.state}: only a device waiting in pending (or a pre-registered MAC) can take over`);
  }
  if (!successor && !pre) throw new FleetError('not_found', `${newId} is neither waiting in pending nor pre-registered`);
  const notes = (ctx.db.prepare('SELECT notes FROM devices WHERE id = ?').pluck().get(old.id) as string | undefined) ?? '';

  return ctx.atomically(() => {
    const moved = ctx.db.prepare("UPDATE config_revisions SET target_id = ? WHERE target = 'device' AND target_id = ?").run(newId, old.id).changes;
    const identity = { name: old.name, location: old.location, notes, tags: [...old.tags] };
    if (successor) {
      patchDevice(ctx, successor, { ...identity, profileId: old.profileId }, author);
      if (Object.keys(old.overrides).length > 0) setOverrides(ctx, successor, structuredClone(old.overrides), author, `took over from ${old.id}`);
      changeState(ctx, successor, 'active', author, `approved as the replacement of ${old.id}`);
    } else {
      ctx.repos.preregistrations.save({
        ...pre!, ...identity, profileId: old.profileId, overrides: structuredClone(old.overrides), source: `replacement of ${old.id}`,
      });
    }
    const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
    ctx.repos.devices.patch(old.id, 'notes', `${notes}${notes ? '\n' : ''}Replaced by ${newId} on ${stamp}.`);
    ctx.db.prepare('UPDATE devices SET retired_for = ? WHERE id = ?').run(newId, old.id);
    if (old.tokenHash !== null) resetCredentials(ctx, old, author);
    retire(ctx, old, author);
    ctx.events.record('device_replaced', old.id, `${old.name || old.id} replaced by ${newId} (${author})`, { successor: newId, revisionsMoved: moved, author });
    return { device: { id: newId, name: old.name }, retired: { id: old.id, retiredFor: newId }, revisions: moved };
  });
}

function retire(ctx: ServiceContext, old: DeviceRuntime, author: Author): void {
  if (old.state !== 'blocked') changeState(ctx, old, 'blocked', author, 'retired');
}
