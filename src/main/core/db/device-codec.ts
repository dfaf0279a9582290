/**
 * The device codec: the one list of device columns and the conversions between a `devices` row,
 * the in-memory DeviceRuntime and the DeviceSummary the admin API shows. Loading, registration,
 * the write-behind, the device repository and the list query all go through here, so a new
 * column is declared once. A numeric reading reported at check-in (see DEVICE_READINGS in the
 * protocol contract) needs only its entry in READING_COLUMNS.
 */
import type { DeviceSummary } from '../../../shared/api';
import { mergeConfig } from '../../../shared/config';
import { type CheckinRequest, DEVICE_READING_NAMES, type DeviceReading, NO_READINGS } from '../../../shared/protocol';
import type { DeviceRuntime, FleetState } from '../state/runtime';
import { intervalOf } from '../state/runtime';
import { parseObject } from './repos/json';

/** The column of each reading (checked against the contract: a reading without one does not compile). */
const READING_COLUMNS: Record<DeviceReading, string> = {
  rssi: 'rssi',
  heap: 'heap',
  uptime: 'uptime',
};

type SqlValue = string | number | null;

/**
 * Who writes a column after the row exists:
 * - `operator`: admin actions, committed before the API answers (targeted statements in devices-repo);
 * - `device`: what the device reports (ip, firmware, applied cfgsn, status, OTA), written behind in full;
 * - `liveness`: last-seen and readings, written behind by a narrow statement on nearly every check-in.
 */
type Writer = 'operator' | 'device' | 'liveness';

interface DeviceColumn {
  column: string;
  writer: Writer;
  /** the list query selects it (the admin DeviceSummary is built from it) */
  summary: boolean;
  get(d: DeviceRuntime): SqlValue;
  set(d: DeviceRuntime, value: SqlValue): void;
}

type PlainField = {
  [K in keyof DeviceRuntime]: DeviceRuntime[K] extends SqlValue ? K : never;
}[keyof DeviceRuntime];

/** A field stored as it is held in memory. */
function plain(field: PlainField, column: string, writer: Writer, summary = true): DeviceColumn {
  return {
    column, writer, summary,
    get: (d) => d[field],
    set: (d, value) => {
      (d as unknown as Record<string, SqlValue>)[field] = value;
    },
  };
}

/** Every column of `devices` that memory holds, in one place. */
export const DEVICE_COLUMNS: readonly DeviceColumn[] = [
  plain('id', 'id', 'operator'),
  plain('name', 'name', 'operator'),
  plain('location', 'location', 'operator'),
  plain('profileId', 'profile_id', 'operator'),
  plain('state', 'state', 'operator'),
  {
    column: 'token_hash', writer: 'operator', summary: false,
    get: (d) => d.tokenHash?.toString('hex') ?? null,
    set: (d, v) => {
      d.tokenHash = typeof v === 'string' && v !== '' ? Buffer.from(v, 'hex') : null;
    },
  },
  {
    column: 'overrides', writer: 'operator', summary: false,
    get: (d) => JSON.stringify(d.overrides),
    set: (d, v) => {
      d.overrides = parseObject(typeof v === 'string' ? v : null);
    },
  },
  plain('cfgsn', 'cfgsn', 'operator'),
  plain('checkinInterval', 'checkin_interval', 'operator'),
  plain('firmwareId', 'firmware_id', 'operator', false),
  plain('createdAt', 'created_at', 'operator'),
  plain('ip', 'ip', 'device'),
  plain('ssid', 'ssid', 'device'),
  plain('fwName', 'fw_name', 'device', false),
  plain('fwVersion', 'fw_version', 'device'),
  plain('fwMd5', 'fw_md5', 'device', false),
  plain('cfgsnReported', 'cfgsn_reported', 'device'),
  plain('status', 'status', 'device'),
  plain('protocol', 'protocol', 'device'),
  {
    column: 'ota_state', writer: 'device', summary: false,
    get: (d) => d.ota.state,
    set: (d, v) => {
      d.ota.state = (v ?? 'none') as DeviceRuntime['ota']['state'];
    },
  },
  {
    column: 'ota_firmware_id', writer: 'device', summary: false,
    get: (d) => d.ota.firmwareId,
    set: (d, v) => {
      d.ota.firmwareId = v as number | null;
    },
  },
  {
    column: 'ota_message', writer: 'device', summary: false,
    get: (d) => d.ota.message ?? null,
    set: (d, v) => {
      if (v !== null) d.ota.message = v as string;
    },
  },
  {
    column: 'ota_at', writer: 'device', summary: false,
    get: (d) => d.ota.at ?? null,
    set: (d, v) => {
      if (v !== null) d.ota.at = v as number;
    },
  },
  plain('lastSeenAt', 'last_seen_at', 'liveness'),
  ...DEVICE_READING_NAMES.map((name) => plain(name, READING_COLUMNS[name], 'liveness')),
];

/** A stored device row: the codec's columns plus what only the detail page reads. */
export type DeviceRow = Record<string, SqlValue> & { id: string; notes: string; chip_id: string | null; flash_size: number | null };

/** A device as registration creates it, before the first write (defaults for every column). */
export function newDeviceRuntime(fields: Pick<DeviceRuntime, 'id' | 'state' | 'tokenHash' | 'protocol' | 'createdAt' | 'cfgsn' | 'status'> & Partial<DeviceRuntime>): DeviceRuntime {
  const device: DeviceRuntime = {
    name: '', location: '', profileId: null, tags: [], lastSeenAt: null, ip: null, ssid: null,
    fwName: null, fwVersion: null, fwMd5: null, overrides: {}, effective: mergeConfig({}, {}), cfgsnReported: null,
    checkinInterval: null, firmwareId: null, ota: { state: 'none', firmwareId: null },
    lastTelemetryAt: 0, lastLivenessDeltaAt: 0, openCommands: [],
    ...NO_READINGS,
    ...fields,
  };
  return device;
}


/** Memory from a stored row; `defaults` are the profile's (the effective config is derived). */
export function deviceFromRow(row: DeviceRow, defaults: Record<string, unknown>): DeviceRuntime {
  const device = newDeviceRuntime({ id: row.id, state: 'active', tokenHash: null, protocol: 'v1', createdAt: 0, cfgsn: 0, status: 'offline' });
  for (const c of DEVICE_COLUMNS) c.set(device, row[c.column] ?? null);
  device.effective = mergeConfig(defaults as DeviceRuntime['overrides'], device.overrides);
  return device;
}

const columnsOf = (writers: readonly Writer[]) => DEVICE_COLUMNS.filter((c) => writers.includes(c.writer));
const INSERT_COLUMNS = [...DEVICE_COLUMNS.map((c) => c.column), 'chip_id', 'flash_size'];
const DEVICE_WRITTEN = columnsOf(['device', 'liveness']);
const LIVENESS_WRITTEN = columnsOf(['liveness']);

export const INSERT_DEVICE_SQL = `INSERT INTO devices (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`;

export function insertParams(device: DeviceRuntime, chip: { chipId: string | null; flashSize: number | null }): SqlValue[] {
  return [...DEVICE_COLUMNS.map((c) => c.get(device)), chip.chipId, chip.flashSize];
}

const updateSql = (columns: readonly DeviceColumn[]) => `UPDATE devices SET ${columns.map((c) => `${c.column} = ?`).join(', ')} WHERE id = ?`;

/** The write-behind's full row write: everything the device reports, from memory. */
export const UPDATE_REPORTED_SQL = updateSql(DEVICE_WRITTEN);
export function reportedParams(device: DeviceRuntime): SqlValue[] {
  const params = DEVICE_WRITTEN.map((c) => c.get(device));
  params.push(device.id);
  return params;
}

/** The narrow write of most check-ins: last-seen and readings (about a third of the full one). */
export const UPDATE_LIVENESS_SQL = updateSql(LIVENESS_WRITTEN);
export function livenessParams(device: DeviceRuntime): SqlValue[] {
  const params = LIVENESS_WRITTEN.map((c) => c.get(device));
  params.push(device.id);
  return params;
}

/** Columns the list query selects (aliased `d`), the profile name joined in as profile_name. */
export const SUMMARY_SELECT = `${DEVICE_COLUMNS.filter((c) => c.summary).map((c) => `d.${c.column}`).join(', ')}, p.name AS profile_name`;
const SUMMARY_COLUMNS = DEVICE_COLUMNS.filter((c) => c.summary);

/** What a summary is built from: memory, or a list row decoded by the same columns. */
type SummarySource = Omit<DeviceRuntime, 'tags'>;

function toSummary(d: SummarySource, profileName: string | null, tags: string[], interval: number): DeviceSummary {
  const summary: DeviceSummary = {
    id: d.id,
    name: d.name,
    location: d.location,
    profileId: d.profileId,
    profileName,
    tags,
    state: d.state,
    status: d.status,
    ip: d.ip,
    ssid: d.ssid,
    ...NO_READINGS,
    fwVersion: d.fwVersion,
    cfgsn: d.cfgsn,
    cfgsnReported: d.cfgsnReported,
    inSync: d.cfgsnReported === d.cfgsn,
    lastSeenAt: d.lastSeenAt,
    createdAt: d.createdAt,
    checkinInterval: interval,
    protocol: d.protocol,
  };
  copyLiveness(d, summary);
  return summary;
}

/** The summary the UI shows for a device in memory. */
export function summaryOf(device: DeviceRuntime, state: FleetState): DeviceSummary {
  const profileName = device.profileId === null ? null : (state.profiles.get(device.profileId)?.name ?? null);
  return toSummary(device, profileName, [...device.tags], intervalOf(device, state.settings));
}

/** A list row (selected with SUMMARY_SELECT) as the same summary. */
export function summaryFromRow(row: Record<string, SqlValue>, tags: string[], defaultInterval: number): DeviceSummary {
  const device = newDeviceRuntime({ id: row.id as string, state: 'active', tokenHash: null, protocol: 'v1', createdAt: 0, cfgsn: 0, status: 'offline' });
  for (const c of SUMMARY_COLUMNS) c.set(device, row[c.column] ?? null);
  return toSummary(device, (row.profile_name as string | null) ?? null, tags, device.checkinInterval ?? defaultInterval);
}

/** Last-seen and readings from memory onto a summary (they trail on disk by up to one flush). */
export function copyLiveness(from: Pick<DeviceRuntime, 'lastSeenAt' | DeviceReading>, to: Pick<DeviceSummary, 'lastSeenAt' | DeviceReading>): void {
  to.lastSeenAt = from.lastSeenAt;
  for (const name of DEVICE_READING_NAMES) to[name] = from[name];
}

/**
 * Takes the readings of a check-in into memory (the hot path: no allocation). Returns whether
 * the body carried any reading.
 */
export function takeReadings(device: DeviceRuntime, body: CheckinRequest): boolean {
  let reported = false;
  for (const name of DEVICE_READING_NAMES) {
    const value = body[name];
    if (value !== undefined) {
      device[name] = value;
      reported = true;
    }
  }
  return reported;
}
