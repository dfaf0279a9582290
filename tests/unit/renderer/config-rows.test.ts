import { describe, expect, it } from 'vitest';
import { configFromRows, diffConfigs, newRow, parseRawConfig, rowsFromConfig } from '../../../src/renderer/src/composables/config-rows';

describe('config editor rows', () => {
  it('round-trips every value type', () => {
    const config = { name: 'x', rate: 2.5, on: true, off: false, pins: { led: 2 }, list: [1, 'a'], nothing: null };
    const rows = rowsFromConfig(config);
    expect(rows.map((r) => r.type)).toEqual(['string', 'number', 'boolean', 'boolean', 'json', 'json', 'json']);
    expect(configFromRows(rows)).toEqual({ config, errors: {} });
  });

  it('keeps a numeric-looking string a string', () => {
    const rows = [newRow({ key: 'zip', type: 'string', text: '01234' })];
    expect(configFromRows(rows).config).toEqual({ zip: '01234' });
  });

  it('reports empty and duplicate keys, bad numbers and bad JSON per row', () => {
    const rows = [
      newRow({ key: '', text: 'a' }),
      newRow({ key: 'a', text: '1' }),
      newRow({ key: 'a', text: '2' }),
      newRow({ key: 'n', type: 'number', text: '12abc' }),
      newRow({ key: 'j', type: 'json', text: '{bad' }),
    ];
    const { errors } = configFromRows(rows);
    expect(errors[rows[0]!.uid]).toMatch(/empty/);
    expect(errors[rows[1]!.uid]).toBeUndefined();
    expect(errors[rows[2]!.uid]).toMatch(/duplicate/);
    expect(errors[rows[3]!.uid]).toMatch(/number/);
    expect(errors[rows[4]!.uid]).toMatch(/JSON/);
  });

  it('raw mode accepts only a JSON object', () => {
    expect(parseRawConfig('{"a": 1}')).toEqual({ config: { a: 1 } });
    expect(parseRawConfig('[1]')).toHaveProperty('error');
    expect(parseRawConfig('null')).toHaveProperty('error');
    expect(parseRawConfig('{"a": ')).toHaveProperty('error');
  });

  it('diffs configs key by key', () => {
    const diff = diffConfigs({ a: 1, b: 2, c: { x: 1 } }, { b: 3, c: { x: 1 }, d: 'new' });
    expect(diff).toEqual([
      { key: 'a', kind: 'removed', before: 1 },
      { key: 'b', kind: 'changed', before: 2, after: 3 },
      { key: 'c', kind: 'same', before: { x: 1 }, after: { x: 1 } },
      { key: 'd', kind: 'added', after: 'new' },
    ]);
  });
});
