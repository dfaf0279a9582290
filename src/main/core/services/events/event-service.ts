/**
 * The audit log as the operator reads it: filtered pages for the Events page and the same filter
 * as CSV records for the export, read in pages by id so a long export never holds the database.
 */
import { normalizeDeviceId } from '../../../../shared/device-id';
import type { EventFilter, EventListRequest, FleetEvent } from '../../../../shared/api';
import type { EventQuery } from '../../db/repos/events-repo';
import type { ServiceContext } from '../context';
import type { EventService } from '../contracts';

/** Rows read per page of an export: small enough that check-ins never wait on one. */
const EXPORT_PAGE = 1_000;

function toQuery(filter: Omit<EventListRequest, 'before' | 'limit'>): Omit<EventQuery, 'limit'> {
  const { kind, deviceId, ...rest } = filter;
  const kinds = typeof kind === 'string' ? [kind] : kind;
  return {
    ...rest,
    kinds: kinds && kinds.length ? kinds : undefined,
    deviceId: deviceId === undefined ? undefined : (normalizeDeviceId(deviceId) ?? deviceId),
  };
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab/CR) as a formula; messages and
 * names come from devices and people, so such cells get a leading apostrophe.
 */
const defuse = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

function csvRecord(ctx: ServiceContext, e: FleetEvent): string[] {
  const name = e.deviceId === null ? '' : (ctx.state.devices.get(e.deviceId)?.name ?? '');
  return [
    String(e.id), new Date(e.at).toISOString(), e.kind, e.deviceId ?? '', defuse(name), defuse(e.message), String(e.count),
    e.data === null ? '' : defuse(JSON.stringify(e.data)),
  ];
}

export function createEventService(ctx: ServiceContext): EventService {
  return {
    list(query: EventListRequest) {
      const { before, limit, ...filter } = query;
      return ctx.events.list({ ...toQuery(filter), before, limit: Math.max(1, Math.min(limit, 500)) });
    },
    *exportRecords(filter: EventFilter) {
      const query = toQuery(filter);
      let before: number | undefined;
      for (;;) {
        const page = ctx.events.list({ ...query, before, limit: EXPORT_PAGE });
        if (page.length) yield page.map((e) => csvRecord(ctx, e));
        if (page.length < EXPORT_PAGE) return;
        before = page[page.length - 1]!.id;
      }
    },
  };
}
