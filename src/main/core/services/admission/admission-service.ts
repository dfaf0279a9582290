/** The operator's side of admission: claims to decide, pre-authorised ids, and the limits state. */
import { plural } from '../../../../shared/plural';
import { normalizeDeviceId } from '../../../../shared/device-id';
import {
  PREAUTHORIZED_CAP, type ClaimList, type ClaimView, type LimitsState, type PreauthorizeResult, type PreauthorizedList,
} from '../../../../shared/api/claims';
import { FleetError } from '../../errors';
import { type ServiceContext, deviceOrThrow } from '../context';
import type { Author } from '../contracts';
import { approveClaim, liveClaim, rejectClaim } from './claims';

export interface AdmissionService {
  claims(): ClaimList;
  approveClaim(deviceId: string, author: Author): ClaimList;
  /** rejects a waiting claim or closes a claim window */
  rejectClaim(deviceId: string, author: Author): void;
  preauthorized(): PreauthorizedList;
  preauthorize(input: { macs: string[] | string; note: string }, author: Author): PreauthorizeResult;
  removePreauthorized(id: string, author: Author): void;
  limits(): LimitsState;
  /** the device listener refused `count` registration requests over its per-network limit */
  registrationRequestsRefused(count: number, network: string, limit: { max: number; windowMs: number }): void;
}

/** One MAC (or safe id) per entry; a text is split on line breaks, commas, semicolons and spaces. */
export function splitIds(macs: string[] | string): string[] {
  const raw = typeof macs === 'string' ? macs.split(/[\s,;]+/) : macs;
  return raw.map((m) => m.trim()).filter((m) => m.length > 0);
}

export function createAdmissionService(ctx: ServiceContext): AdmissionService {
  const claims = (): ClaimList => {
    const now = ctx.clock.now();
    const items: ClaimView[] = [];
    for (const claim of ctx.admission.claims.values()) {
      const device = ctx.state.devices.get(claim.deviceId);
      if (!device || !liveClaim(ctx, claim.deviceId, now)) continue;
      items.push({
        deviceId: claim.deviceId, kind: claim.kind, openedAt: claim.openedAt, expiresAt: claim.expiresAt,
        remoteAddress: claim.remoteAddress, ip: claim.details?.ip ?? null, fw: claim.details?.fw ?? null,
        device: {
          name: device.name, location: device.location, state: device.state, protocol: device.protocol, ip: device.ip,
          lastSeenAt: device.lastSeenAt, hasToken: device.tokenHash !== null,
        },
      });
    }
    items.sort((a, b) => b.openedAt - a.openedAt);
    return { items };
  };

  return {
    claims,

    approveClaim(deviceId, author) {
      approveClaim(ctx, deviceOrThrow(ctx, deviceId), author);
      ctx.admission.limits.announce(ctx);
      return claims();
    },

    rejectClaim(deviceId, author) {
      rejectClaim(ctx, deviceOrThrow(ctx, deviceId), author);
      ctx.admission.limits.announce(ctx);
    },

    preauthorized: () => ({ items: ctx.repos.admission.preauthorized(), cap: PREAUTHORIZED_CAP }),

    preauthorize({ macs, note }, author) {
      const result: PreauthorizeResult = { added: [], already: [], invalid: [] };
      const ids: string[] = [];
      for (const raw of splitIds(macs)) {
        const id = normalizeDeviceId(raw);
        if (!id) result.invalid.push(raw.slice(0, 64));
        else if (ctx.admission.preauthorized.has(id) || ids.includes(id)) result.already.push(id);
        else if (ctx.state.devices.has(id)) result.already.push(id);
        else ids.push(id);
      }
      if (ctx.admission.preauthorized.size + ids.length > PREAUTHORIZED_CAP) {
        throw new FleetError('capacity_reached', `at most ${PREAUTHORIZED_CAP} ids can wait pre-authorised; remove some first`);
      }
      const now = ctx.clock.now();
      ctx.atomically(() => {
        for (const id of ids) if (ctx.repos.admission.addPreauthorized(id, note, author, now)) result.added.push(id);
        if (result.added.length > 0) {
          ctx.events.record('preauthorized', null, `${plural(result.added.length, 'device id')} pre-authorised by ${author}`, { author, ids: result.added.slice(0, 50) });
        }
      });
      for (const id of result.added) ctx.admission.preauthorized.add(id);
      return result;
    },

    removePreauthorized(rawId, author) {
      const id = normalizeDeviceId(rawId);
      if (!id) throw new FleetError('bad_id', 'device id must be a MAC address or a safe name [a-z0-9_-]');
      if (!ctx.admission.preauthorized.has(id)) throw new FleetError('not_found', `${id} is not pre-authorised`);
      ctx.atomically(() => {
        ctx.repos.admission.removePreauthorized(id);
        ctx.events.record('preauthorized', id, `pre-authorisation of ${id} withdrawn by ${author}`, { author, withdrawn: true });
      });
      ctx.admission.preauthorized.delete(id);
    },

    limits() {
      const now = ctx.clock.now();
      const s = ctx.state.settings;
      let pending = 0;
      for (const device of ctx.state.devices.values()) if (device.state === 'pending') pending += 1;
      for (const claim of ctx.admission.claims.values()) if (claim.kind === 'request' && claim.expiresAt > now) pending += 1;
      return {
        fleet: { devices: ctx.state.devices.size, cap: s.fleetCap },
        pending: { count: pending, cap: s.pendingCap },
        budgets: {
          perMinute: s.newDevicesPerMinute, perNetworkPerMinute: s.newDevicesPerNetworkPerMinute,
          usedThisMinute: ctx.admission.budgets.usedThisMinute(now), exemptLoopback: ctx.admission.budgets.exemptLoopback,
        },
        recent: ctx.admission.limits.recent(now),
      };
    },

    registrationRequestsRefused(count, network, limit) {
      const per = limit.windowMs === 60_000 ? 'a minute' : `per ${Math.round(limit.windowMs / 1000)} s`;
      const message = `too many registration requests from network ${network} (${limit.max} ${per}); refused before they were read`;
      ctx.admission.limits.hit(ctx, 'register_rate', message, network, count);
    },
  };
}
