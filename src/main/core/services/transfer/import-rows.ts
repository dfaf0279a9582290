/**
 * Reading an import file into plain records: CSV through csv-parse (quotes, embedded newlines,
 * a BOM from spreadsheet exports), JSON as an array of objects or `{devices: [...]}`. Field
 * names are matched loosely (MAC/mac/id/deviceid) so a hand-made sheet works too.
 */
import { parse } from 'csv-parse/sync';
import { IMPORT_MAX_ROWS } from '../../../../shared/api/transfer';
import { FleetError } from '../../errors';

export interface RawImportRecord {
  mac?: string;
  name?: string;
  location?: string;
  notes?: string;
  tags?: string | string[];
  profile?: string;
  config?: string | Record<string, unknown>;
  /** the CSV row had a different number of cells than the header */
  malformed?: string;
}

const ALIASES: Record<string, keyof RawImportRecord> = {
  mac: 'mac', id: 'mac', deviceid: 'mac', 'mac address': 'mac',
  name: 'name', location: 'location', place: 'location', notes: 'notes', tags: 'tags', profile: 'profile',
  config: 'config', overrides: 'config',
};

const undefuse = (value: string): string => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);

function normaliseKeys(input: Record<string, unknown>): RawImportRecord {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = ALIASES[key.trim().toLowerCase()];
    if (!field || value === null || value === undefined) continue;
    out[field] = typeof value === 'string' ? undefuse(value.trim()) : value;
  }
  return out;
}

function tooMany(count: number): void {
  if (count > IMPORT_MAX_ROWS) throw new FleetError('payload_too_large', `at most ${IMPORT_MAX_ROWS} rows per import (this file has ${count})`);
}

export function parseCsv(text: string): RawImportRecord[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: false, max_record_size: 64 * 1024 });
  } catch (err) {
    throw new FleetError('bad_request', `this CSV cannot be read: ${(err as Error).message}`);
  }
  const [header, ...data] = rows;
  if (!header) throw new FleetError('bad_request', 'the CSV is empty');
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.some((n) => ALIASES[n] === 'mac')) throw new FleetError('bad_request', 'the CSV needs a header row with a "mac" column');
  tooMany(data.length);
  return data.map((cells) => {
    const record = normaliseKeys(Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ''])));
    if (cells.length !== names.length) record.malformed = `${cells.length} cells where the header has ${names.length}`;
    return record;
  });
}

export function parseJson(body: unknown): RawImportRecord[] {
  const list = Array.isArray(body) ? body : (body as { devices?: unknown } | null)?.devices;
  if (!Array.isArray(list)) throw new FleetError('bad_request', 'send an array of devices, or {"devices": [...]}');
  tooMany(list.length);
  return list.map((item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? normaliseKeys(item as Record<string, unknown>) : { malformed: 'not an object' },
  );
}
