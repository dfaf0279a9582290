/**
 * The typed key/value rows of the config editor and their conversion to and from a config
 * object. Pure, so the rules (types, duplicates, invalid numbers/JSON) are unit-tested.
 */
import type { ConfigObject, JsonValue } from '../../../shared/config';

export type ValueType = 'string' | 'number' | 'boolean' | 'json';
export interface ConfigRow { uid: number; key: string; type: ValueType; text: string; bool: boolean }

let nextUid = 1;
export function newRow(partial: Partial<ConfigRow> = {}): ConfigRow {
  return { uid: nextUid++, key: '', type: 'string', text: '', bool: false, ...partial };
}

export function typeOf(value: JsonValue): ValueType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

/** The editable text of a value; a boolean is edited with a switch, so it has none. */
function textOf(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return '';
  return JSON.stringify(value);
}

export function rowsFromConfig(config: ConfigObject): ConfigRow[] {
  return Object.entries(config).map(([key, value]) => {
    const type = typeOf(value);
    return newRow({
      key,
      type,
      bool: value === true,
      text: textOf(value),
    });
  });
}

/** Row value with its type, or an error message. */
export function rowValue(row: ConfigRow): { value: JsonValue } | { error: string } {
  switch (row.type) {
    case 'string':
      return { value: row.text };
    case 'boolean':
      return { value: row.bool };
    case 'number': {
      const n = Number(row.text.trim());
      return row.text.trim() === '' || !Number.isFinite(n) ? { error: 'not a number' } : { value: n };
    }
    case 'json':
      try {
        return { value: JSON.parse(row.text) as JsonValue };
      } catch (e) {
        return { error: `invalid JSON: ${(e as Error).message}` };
      }
  }
}

export interface RowsResult { config: ConfigObject; errors: Record<number, string> }

export function configFromRows(rows: ConfigRow[]): RowsResult {
  const config: ConfigObject = {};
  const errors: Record<number, string> = {};
  const seen = new Set<string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (!key) {
      errors[row.uid] = 'key is empty';
      continue;
    }
    if (key.length > 128) errors[row.uid] = 'key longer than 128 characters';
    if (seen.has(key)) errors[row.uid] = `duplicate key “${key}”`;
    seen.add(key);
    const parsed = rowValue(row);
    if ('error' in parsed) errors[row.uid] ??= parsed.error;
    else config[key] = parsed.value;
  }
  return { config, errors };
}

/** Raw JSON mode: must be one object. */
export function parseRawConfig(text: string): { config: ConfigObject } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `invalid JSON: ${(e as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'the config must be a JSON object { … }' };
  if (Object.keys(value).some((k) => k.length === 0 || k.length > 128)) return { error: 'keys must be 1–128 characters' };
  return { config: value as ConfigObject };
}

export interface KeyDiff { key: string; kind: 'added' | 'removed' | 'changed' | 'same'; before?: JsonValue; after?: JsonValue }

/** Key-level diff of two configs (top-level keys are the unit of change, see mergeConfig). */
export function diffConfigs(before: ConfigObject, after: ConfigObject): KeyDiff[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.map((key) => {
    const inBefore = Object.prototype.hasOwnProperty.call(before, key);
    const inAfter = Object.prototype.hasOwnProperty.call(after, key);
    if (!inBefore) return { key, kind: 'added', after: after[key] };
    if (!inAfter) return { key, kind: 'removed', before: before[key] };
    const same = JSON.stringify(before[key]) === JSON.stringify(after[key]);
    return { key, kind: same ? 'same' : 'changed', before: before[key], after: after[key] };
  });
}
