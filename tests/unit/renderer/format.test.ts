import { describe, expect, it } from 'vitest';
import { duration, firmwareUpdateLabel, uptimeNow } from '../../../src/renderer/src/composables/format';

describe('display wording', () => {
  it('durations never lead with a zero unit', () => {
    expect(duration(20)).toBe('20 s');
    expect(duration(200)).toBe('3 min 20 s');
    expect(duration(3 * 3600 + 5 * 60 + 9)).toBe('3 h 5 min');
    expect(duration(2 * 86400 + 4 * 3600)).toBe('2 d 4 h');
    expect(duration(null)).toBe('—');
  });
  it('an update state reads as one phrase, never "update updated"', () => {
    expect(firmwareUpdateLabel('updated', '2.0.1')).toBe('updated to 2.0.1');
    expect(firmwareUpdateLabel('offered', '2.0.1')).toBe('update to 2.0.1 offered');
    expect(firmwareUpdateLabel('downloading', '2.0.1')).toBe('downloading 2.0.1');
    expect(firmwareUpdateLabel('failed', '2.0.1')).toBe('update to 2.0.1 failed');
    expect(firmwareUpdateLabel('updated', null)).toBe('update installed');
  });
  it('uptime runs on from the last check-in while the device is online', () => {
    expect(uptimeNow({ uptime: 100, lastSeenAt: 1_000, status: 'online' }, 31_000)).toBe(130);
    expect(uptimeNow({ uptime: 100, lastSeenAt: 1_000, status: 'offline' }, 31_000)).toBe(100);
    expect(uptimeNow({ uptime: null, lastSeenAt: 1_000, status: 'online' }, 31_000)).toBeNull();
  });
});
