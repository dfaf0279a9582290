import { describe, expect, it } from 'vitest';
import { plural } from '../../../src/shared/plural';

describe('plural', () => {
  it('says "1 device", never "1 devices"', () => {
    expect(plural(1, 'device')).toBe('1 device');
    expect(plural(0, 'device')).toBe('0 devices');
    expect(plural(2, 'config revision')).toBe('2 config revisions');
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });
});
