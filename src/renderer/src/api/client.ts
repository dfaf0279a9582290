/** Typed calls of the admin API (contracts: src/shared/api/). Stores call these, nothing else does. */
import type { SettingsPreview } from '../../../shared/settings-rules';
import type {
  BulkRequest, Command, ConfigRevision, ConfigView, DeviceDetail, DeviceList,
  DeviceListQuery, DevicePatch, FirmwareDeviceState, FirmwareSummary, FleetEvent, Profile, SeenDevice, ServerInfo, Settings,
  SettingsPatch,
} from '../../../shared/api';
import type { ClaimList, LimitsState, PreauthorizeResult, PreauthorizedList } from '../../../shared/api/claims';
import type { IntegrityReport } from '../../../shared/api/maintenance';
import type { BulkOutcome, BulkUndo, BulkUndoResult } from '../../../shared/api/bulk-undo';
import type { Dashboard, DeviceAvailability, DeviceHistory, HistoryRange } from '../../../shared/api/telemetry';
import type { ConfigObject } from '../../../shared/config';
import type { EventViewFilter } from '../../../shared/event-rows';
import { apiUrl, queryString, request, type Query } from './http';

const enc = encodeURIComponent;

export type DeviceListParams = Partial<DeviceListQuery>;

export type EventQueryParams = EventViewFilter & { before?: number; limit?: number };
/** Kinds travel comma-separated; a false flag is left out. */
function eventQuery(q: EventQueryParams): Query {
  return { ...q, kind: q.kind?.length ? q.kind.join(',') : undefined, hideConnectivity: q.hideConnectivity ? '1' : undefined };
}

export const api = {
  devices: {
    list: (query: DeviceListParams, signal?: AbortSignal) =>
      request<DeviceList>('GET', '/api/devices', { query: query, signal }),
    get: (id: string) => request<DeviceDetail>('GET', `/api/devices/${enc(id)}`),
    patch: (id: string, patch: DevicePatch) => request<DeviceDetail>('PATCH', `/api/devices/${enc(id)}`, { body: patch }),
    remove: (id: string) => request<void>('DELETE', `/api/devices/${enc(id)}`),
    approve: (id: string) => request<DeviceDetail>('POST', `/api/devices/${enc(id)}/approve`),
    block: (id: string) => request<DeviceDetail>('POST', `/api/devices/${enc(id)}/block`),
    unblock: (id: string) => request<DeviceDetail>('POST', `/api/devices/${enc(id)}/unblock`),
    resetCredentials: (id: string) => request<DeviceDetail>('POST', `/api/devices/${enc(id)}/reset-credentials`),
    bulk: (body: BulkRequest) => request<BulkOutcome>('POST', '/api/devices/bulk', { body }),
    undoBulk: (body: BulkUndo) => request<BulkUndoResult>('POST', '/api/devices/bulk/undo', { body }),
    config: (id: string) => request<ConfigView>('GET', `/api/devices/${enc(id)}/config`),
    putConfig: (id: string, overrides: ConfigObject) =>
      request<ConfigView>('PUT', `/api/devices/${enc(id)}/config`, { body: { overrides } }),
    history: (id: string) => request<ConfigRevision[]>('GET', `/api/devices/${enc(id)}/config/history`),
    commands: (id: string) => request<Command[]>('GET', `/api/devices/${enc(id)}/commands`),
    sendCommand: (id: string, name: string, args: Record<string, unknown> = {}) =>
      request<Command>('POST', `/api/devices/${enc(id)}/commands`, { body: { name, args } }),
    events: (id: string) => request<FleetEvent[]>('GET', `/api/devices/${enc(id)}/events`),
  },
  history: {
    device: (id: string, range: HistoryRange) => request<DeviceHistory>('GET', `/api/devices/${enc(id)}/history`, { query: { range } }),
    availability: (id: string, range: HistoryRange) =>
      request<DeviceAvailability>('GET', `/api/devices/${enc(id)}/availability`, { query: { range } }),
    dashboard: (range: HistoryRange) => request<Dashboard>('GET', '/api/dashboard', { query: { range } }),
  },
  commands: {
    cancel: (commandId: number) => request<Command>('POST', `/api/commands/${commandId}/cancel`),
  },
  revisions: {
    restore: (revisionId: number) => request<ConfigRevision>('POST', `/api/config/revisions/${revisionId}/restore`),
  },
  profiles: {
    list: () => request<Profile[]>('GET', '/api/profiles'),
    exportUrl: () => apiUrl('/api/profiles/export'),
    get: (id: number) => request<Profile>('GET', `/api/profiles/${id}`),
    create: (input: { name: string; description?: string; defaults?: ConfigObject }) =>
      request<Profile>('POST', '/api/profiles', { body: input }),
    patch: (id: number, input: { name?: string; description?: string }) =>
      request<Profile>('PATCH', `/api/profiles/${id}`, { body: input }),
    remove: (id: number) => request<{ devicesDetached: number }>('DELETE', `/api/profiles/${id}`),
    config: (id: number) => request<{ defaults: ConfigObject }>('GET', `/api/profiles/${id}/config`),
    putConfig: (id: number, defaults: ConfigObject) =>
      request<Profile>('PUT', `/api/profiles/${id}/config`, { body: { defaults } }),
    history: (id: number) => request<ConfigRevision[]>('GET', `/api/profiles/${id}/config/history`),
  },
  firmware: {
    list: () => request<FirmwareSummary[]>('GET', '/api/firmware'),
    remove: (id: number) => request<void>('DELETE', `/api/firmware/${id}`),
    assign: (id: number, target: { deviceIds?: string[]; profileId?: number }) =>
      request<{ affected: number; skippedLegacy: string[] }>('POST', `/api/firmware/${id}/assign`, { body: target }),
    /** the devices (or the profile) stop being assigned any image */
    unassign: (target: { deviceIds?: string[]; profileId?: number }) =>
      request<{ affected: number }>('POST', '/api/firmware/unassign', { body: target }),
    /** devices the image is assigned to (directly or through their profile), with their update state */
    devices: (id: number) => request<FirmwareDeviceState[]>('GET', `/api/firmware/${id}/devices`),
  },
  events: {
    list: (query: EventQueryParams = {}, signal?: AbortSignal) =>
      request<FleetEvent[]>('GET', '/api/events', { query: eventQuery(query), signal }),
    /** a same-origin URL the browser downloads (the session cookie goes along) */
    exportUrl: (filter: EventViewFilter) => apiUrl('/api/events/export' + queryString(eventQuery(filter))),
  },
  settings: {
    get: () => request<Settings>('GET', '/api/settings'),
    patch: (patch: SettingsPatch) => request<Settings>('PATCH', '/api/settings', { body: patch }),
    preview: (patch: SettingsPatch) => request<SettingsPreview>('POST', '/api/settings/preview', { body: patch }),
  },
  admission: {
    claims: () => request<ClaimList>('GET', '/api/claims'),
    approveClaim: (deviceId: string) => request<ClaimList>('POST', `/api/claims/${enc(deviceId)}/approve`),
    /** rejects a waiting claim, or closes a claim window */
    rejectClaim: (deviceId: string) => request<void>('DELETE', `/api/claims/${enc(deviceId)}`),
    preauthorized: () => request<PreauthorizedList>('GET', '/api/preauthorized'),
    preauthorize: (macs: string, note: string) => request<PreauthorizeResult>('POST', '/api/preauthorized', { body: { macs, note } }),
    removePreauthorized: (id: string) => request<void>('DELETE', `/api/preauthorized/${enc(id)}`),
    limits: () => request<LimitsState>('GET', '/api/limits'),
  },
  server: {
    info: () => request<ServerInfo>('GET', '/api/server'),
    /** devices advertising themselves over mDNS, registered or not */
    seen: () => request<SeenDevice[]>('GET', '/api/discovery/seen'),
  },
  maintenance: {
    integrity: () => request<IntegrityReport>('GET', '/api/maintenance/integrity'),
    checkIntegrity: () => request<IntegrityReport>('POST', '/api/maintenance/integrity'),
  },
  session: {
    /** ends this browser's session; the next request needs a new login link */
    logout: () => request<void>('POST', '/api/session/logout'),
  },
};
