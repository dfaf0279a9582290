/**
 * Moving fleet data in and out: device export, device import (pre-registration) with a preview,
 * the list of pre-registered devices, the original design's restDB.sqlite, replacing a device.
 */
import type { DeviceExportRow, ImportReport, PreregisteredDevice, ReplaceResult, SeedReport } from '../../../../shared/api/transfer';
import { normalizeDeviceId } from '../../../../shared/device-id';
import { FleetError } from '../../errors';
import type { ServiceContext } from '../context';
import type { Author } from '../contracts';
import { setOverrides } from '../config/config-service';
import { patchDevice } from '../devices/device-actions';
import { exportRows, rowsToCsv, type ExportFilter } from './export';
import { planImport } from './import-plan';
import { parseCsv, parseJson } from './import-rows';
import { replaceDevice } from './replace';
import { importSeed } from './seed';

export interface TransferService {
  exportDevices(filter: ExportFilter, format: 'csv' | 'json'): { contentType: string; body: string; rows: DeviceExportRow[] };
  importDevices(input: { csv: string } | { json: unknown }, dryRun: boolean, author: Author): ImportReport;
  preregistered(): PreregisteredDevice[];
  removePreregistration(id: string, author: Author): void;
  replace(oldId: string, newId: string, author: Author): ReplaceResult;
  importSeed(file: Buffer, dryRun: boolean, author: Author): SeedReport;
}

export function createTransferService(ctx: ServiceContext): TransferService {
  return {
    exportDevices(filter, format) {
      const rows = exportRows(ctx, filter);
      return format === 'csv'
        ? { contentType: 'text/csv; charset=utf-8', body: rowsToCsv(rows), rows }
        : { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ devices: rows }, null, 2), rows };
    },

    importDevices(input, dryRun, author) {
      const records = 'csv' in input ? parseCsv(input.csv) : parseJson(input.json);
      const plan = planImport(ctx, records);
      const report: ImportReport = {
        dryRun,
        created: plan.filter((r) => r.outcome === 'create').length,
        updated: plan.filter((r) => r.outcome === 'update').length,
        skipped: plan.filter((r) => r.outcome === 'skip').length,
        rows: plan.map(({ set: _set, ...row }) => row),
      };
      if (dryRun || report.created + report.updated === 0) return report;
      const now = ctx.clock.now();
      ctx.atomically(() => {
        for (const row of plan) {
          if (row.outcome === 'skip' || !row.mac) continue;
          const device = ctx.state.devices.get(row.mac);
          const { overrides, ...fields } = row.set;
          if (device) {
            patchDevice(ctx, device, fields, author);
            if (overrides) setOverrides(ctx, device, overrides, author, 'import');
            continue;
          }
          const pre = ctx.repos.preregistrations.get(row.mac);
          ctx.repos.preregistrations.save({
            id: row.mac, name: fields.name ?? pre?.name ?? '', location: fields.location ?? pre?.location ?? '',
            notes: fields.notes ?? pre?.notes ?? '', tags: fields.tags ?? pre?.tags ?? [], profileId: fields.profileId ?? pre?.profileId ?? null,
            overrides: overrides ?? pre?.overrides ?? {}, source: `import by ${author}`, createdAt: pre?.createdAt ?? now,
          });
        }
        ctx.events.record('devices_imported', null, `import by ${author}: ${report.created} pre-registered, ${report.updated} updated, ${report.skipped} skipped`, {
          author, created: report.created, updated: report.updated, skipped: report.skipped,
        });
      });
      return report;
    },

    preregistered() {
      return ctx.repos.preregistrations.all().map((p) => ({
        ...p, profileName: p.profileId === null ? null : (ctx.state.profiles.get(p.profileId)?.name ?? null),
      }));
    },

    removePreregistration(id, author) {
      const normal = normalizeDeviceId(id);
      if (!normal) throw new FleetError('bad_id', 'device id must be a MAC address or a short name of letters, digits, _ and -');
      ctx.atomically(() => {
        if (!ctx.repos.preregistrations.remove(normal)) throw new FleetError('not_found', `${normal} is not pre-registered`);
        ctx.events.record('deleted', normal, `pre-registration of ${normal} removed by ${author}`, { author, preregistered: true });
      });
    },

    replace: (oldId, newId, author) => replaceDevice(ctx, oldId, newId, author),
    importSeed: (file, dryRun, author) => importSeed(ctx, file, dryRun, author),
  };
}
