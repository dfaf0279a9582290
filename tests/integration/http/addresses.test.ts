/** Where devices can reach the device listener, as printed by the CLI and shown in the server panel. */
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { deviceUrls } from '../../../src/main/core/http/addresses';

describe('deviceUrls', () => {
  it('is the bound address itself when bound to one address', () => {
    expect(deviceUrls('127.0.0.1', 3000)).toEqual(['http://127.0.0.1:3000']);
    expect(deviceUrls('fe80::1', 3000)).toEqual(['http://[fe80::1]:3000']);
  });

  it('lists every non-internal IPv4 address when bound to all', () => {
    const expected = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => `http://${a!.address}:3000`);
    const urls = deviceUrls('0.0.0.0', 3000);
    expect(urls).toEqual(expected);
    expect(urls.some((u) => u.startsWith('http://127.'))).toBe(false);
  });
});
