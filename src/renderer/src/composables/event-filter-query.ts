/**
 * The Events page's filter in the URL query, so a filtered view can be bookmarked or linked:
 * `#/events?kind=registered,approved&deviceId=…&profileId=3&since=…&until=…&hideConnectivity=1`.
 * Anything malformed in a hand-edited link is dropped rather than sent.
 */
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { FleetEventKind } from '../../../shared/api';
import type { EventViewFilter } from '../../../shared/event-rows';

const one = (value: LocationQuery[string] | undefined): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v !== '' ? v : undefined;
};
const int = (value: LocationQuery[string] | undefined): number | undefined => {
  const n = Number(one(value));
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

export function filterFromQuery(query: LocationQuery): EventViewFilter {
  const kind = one(query.kind)?.split(',').filter((k) => /^[a-z_]{1,64}$/.test(k));
  const filter: EventViewFilter = {
    kind: kind?.length ? kind : undefined,
    deviceId: one(query.deviceId),
    profileId: int(query.profileId) || undefined,
    since: int(query.since),
    until: int(query.until),
    hideConnectivity: one(query.hideConnectivity) === '1' ? true : undefined,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

export function queryFromFilter(filter: EventViewFilter): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (filter.kind?.length) query.kind = filter.kind.join(',');
  if (filter.deviceId) query.deviceId = filter.deviceId;
  if (filter.profileId !== undefined) query.profileId = String(filter.profileId);
  if (filter.since !== undefined) query.since = String(filter.since);
  if (filter.until !== undefined) query.until = String(filter.until);
  if (filter.hideConnectivity) query.hideConnectivity = '1';
  return query;
}

/** The kind picker's groups; a kind not listed here (a newer one) can still be typed in. */
export const EVENT_KIND_GROUPS: { label: string; kinds: FleetEventKind[] }[] = [
  { label: 'Connectivity', kinds: ['came_online', 'went_late', 'went_offline'] },
  { label: 'Devices', kinds: ['registered', 'approved', 'blocked', 'unblocked', 'credentials_reset', 'deleted', 'device_replaced', 'devices_imported'] },
  { label: 'Configuration', kinds: ['config_changed', 'config_applied', 'profile_changed', 'settings_changed'] },
  { label: 'Commands', kinds: ['command_queued', 'command_acked', 'command_failed', 'command_expired'] },
  { label: 'Firmware', kinds: ['firmware_uploaded', 'firmware_assigned', 'firmware_offered', 'firmware_updated', 'firmware_failed', 'firmware_removed', 'firmware_damaged'] },
  { label: 'Admission', kinds: ['claim_requested', 'claim_approved', 'claim_rejected', 'claim_refused', 'claim_accepted', 'limit_reached', 'preauthorized'] },
  { label: 'Maintenance', kinds: ['backup_restored'] },
];

export const kindLabel = (kind: string): string => kind.replace(/_/g, ' ');
