/**
 * The check-in fast path (src/main/core/http/device/checkin-body.ts) must never accept a body the
 * shared schema refuses, and must hand the service the same fields the schema would.
 */
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseCheckinBody } from '../../../src/main/core/http/device/checkin-body';
import { CheckinRequestSchema } from '../../../src/shared/protocol';

const VALUES: Record<string, unknown[]> = {
  cfgsn: [0, 1, 7, -1, 1.5, '3', null, 2 ** 53, Number.MAX_SAFE_INTEGER, true],
  ip: ['192.0.2.1', '', 'x'.repeat(45), 'x'.repeat(46), 42, null],
  ssid: ['lab', '', 'é'.repeat(64), 's'.repeat(65), ['lab'], {}],
  rssi: [-127, -128, -60, 0, 20, 21, -60.5, '-60'],
  heap: [0, 31_000, -1, 0.5, 'big'],
  uptime: [0, 12, -3, 1e21],
  fw: [{ version: '1.0.0' }, { name: 'fd', version: '2' }, {}, { version: 'v'.repeat(65) }, { version: 1 }, { md5: 'a'.repeat(32) }, { md5: 'zz' }, { extra: 1 }, [], null, 'v1'],
  acks: [[], [{ id: 1, ok: true }], [{ id: 0, ok: true }], {}, null],
  ota: [{ id: 1, ok: false }, { id: 1 }],
  whatever: [1, { deep: [1] }],
};

function* bodies(): Generator<Record<string, unknown>> {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const keys = Object.keys(VALUES);
  for (let n = 0; n < 5000; n++) {
    const body: Record<string, unknown> = {};
    for (const key of keys) {
      if (random() < 0.5) continue;
      const options = VALUES[key]!;
      body[key] = options[Math.floor(random() * options.length)];
    }
    yield body;
  }
}

describe('check-in body fast path', () => {
  it('agrees with CheckinRequestSchema on every body: same verdict, same fields', () => {
    let fast = 0;
    for (const body of bodies()) {
      const bySchema = CheckinRequestSchema.safeParse(body);
      if (!bySchema.success) {
        expect(() => parseCheckinBody(body), JSON.stringify(body)).toThrow(ZodError);
        continue;
      }
      const parsed = parseCheckinBody(body);
      if (parsed === body) fast++;
      expect(JSON.parse(JSON.stringify(parsed)), JSON.stringify(body)).toEqual(JSON.parse(JSON.stringify(bySchema.data)));
    }
    expect(fast).toBeGreaterThan(50); // the fast path is actually taken
  });

  it('treats a missing body as empty and sends reserved or odd shapes through the schema', () => {
    expect(parseCheckinBody(undefined)).toEqual({});
    expect(() => parseCheckinBody([])).toThrow(ZodError);
    const withProto = JSON.parse('{"cfgsn":1,"__proto__":{"x":1}}') as object;
    expect(parseCheckinBody(withProto)).not.toBe(withProto);
  });
});
