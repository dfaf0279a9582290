/**
 * Device export: the list's filter (or everything) as rows, then CSV (csv-stringify) or JSON.
 * Everything comes from memory plus one id query, so the export never stalls check-ins long.
 */
import { stringify } from 'csv-stringify/sync';
import type { DeviceListQuery } from '../../../../shared/api';
import { EXPORT_COLUMNS, type DeviceExportRow } from '../../../../shared/api/transfer';
import type { ServiceContext } from '../context';

export type ExportFilter = Pick<DeviceListQuery, 'q' | 'status' | 'profileId' | 'tag'>;

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

export function exportRows(ctx: ServiceContext, filter: ExportFilter): DeviceExportRow[] {
  const { state } = ctx;
  const rows: DeviceExportRow[] = [];
  for (const id of ctx.repos.deviceList.idsMatching(filter)) {
    const d = state.devices.get(id);
    if (!d) continue;
    rows.push({
      mac: d.id, name: d.name, location: d.location, tags: [...d.tags],
      profile: d.profileId === null ? null : (state.profiles.get(d.profileId)?.name ?? null),
      status: d.status, lastSeen: iso(d.lastSeenAt), ip: d.ip, ssid: d.ssid,
      firmware: d.fwVersion === null ? null : `${d.fwName ?? ''}${d.fwName ? ' ' : ''}${d.fwVersion}`,
      config: structuredClone(d.overrides),
    });
  }
  // Devices announced but not seen yet belong to a complete export (no filter narrows them).
  if (!filter.q && !filter.status?.length && filter.profileId === undefined && !filter.tag) {
    for (const p of ctx.repos.preregistrations.all()) {
      rows.push({
        mac: p.id, name: p.name, location: p.location, tags: p.tags,
        profile: p.profileId === null ? null : (state.profiles.get(p.profileId)?.name ?? null),
        status: 'pre-registered', lastSeen: null, ip: null, ssid: null, firmware: null, config: p.overrides,
      });
    }
  }
  return rows;
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab/CR) as a formula; names and SSIDs
 * come from devices and people, so such cells get a leading apostrophe (the import strips it).
 */
export function defuseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function rowsToCsv(rows: DeviceExportRow[]): string {
  const records = rows.map((r) => [
    r.mac, r.name, r.location, r.tags.join(';'), r.profile ?? '', r.status, r.lastSeen ?? '', r.ip ?? '', r.ssid ?? '',
    r.firmware ?? '', Object.keys(r.config).length ? JSON.stringify(r.config) : '',
  ].map((cell) => defuseCell(cell)));
  return stringify(records, { header: true, columns: [...EXPORT_COLUMNS], record_delimiter: '\r\n' });
}
