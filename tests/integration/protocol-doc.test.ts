/**
 * Replays every example exchange of docs/protocol.md, in document order, against a real fleet on a
 * fresh data dir, so the normative document cannot drift from the server (rules: the doc's §10).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../helpers/fleet';
import { httpRequest } from '../helpers/http';
import { matchValue, parseProtocolDoc, substitute, type Bindings } from '../helpers/protocol-doc';

const DOC = fileURLToPath(new URL('../../docs/protocol.md', import.meta.url));
const exchanges = parseProtocolDoc(DOC);

/** Every device call of the protocol must have at least one example (method + route pattern). */
const DEVICE_CALLS: [string, RegExp][] = [
  ['POST', /^\/api\/v1\/devices\/[^/]+\/register$/],
  ['POST', /^\/api\/v1\/devices\/[^/]+\/checkin(\?.*)?$/],
  ['POST', /^\/api\/v1\/devices\/[^/]+\/checkin\?wait=\d+$/],
  ['GET', /^\/api\/v1\/devices\/[^/]+\/firmware\/[^/]+$/],
  ['POST', /^\/api\/devices\/[^/]+$/],
  ['GET', /^\/api\/devices\/[^/]+$/],
];

describe('docs/protocol.md', () => {
  it('has an example exchange for every device call', () => {
    for (const [method, pattern] of DEVICE_CALLS) {
      const found = exchanges.some((x) => x.request.target === 'device' && x.request.method === method && pattern.test(x.request.path));
      expect(found, `${method} ${pattern}`).toBe(true);
    }
  });

  it('matches strictly enough to catch drift', () => {
    const bindings: Bindings = new Map();
    expect(matchValue({ a: 1, b: '<any>' }, { a: 1, b: [2] }, bindings)).toEqual([]);
    expect(matchValue({ a: 1 }, { a: 1, extra: true }, bindings)).not.toEqual([]);
    expect(matchValue({ a: 1, '...': '<any>' }, { a: 1, extra: true }, bindings)).toEqual([]);
    expect(matchValue({ a: 1, b: '<any>' }, { a: 1 }, bindings)).not.toEqual([]);
    expect(matchValue({ a: [1, 2] }, { a: [1, 2, 3] }, bindings)).not.toEqual([]);
    expect(matchValue({ s: 'x' }, { s: 'y' }, bindings)).not.toEqual([]);
    expect(matchValue({ t: '<tok>' }, { t: 'abc' }, bindings)).toEqual([]);
    expect(matchValue({ t: '<tok>' }, { t: 'abd' }, bindings)).not.toEqual([]);
    expect(substitute('Bearer <tok> {"x":"<tok>"}', bindings)).toBe('Bearer abc {"x":"abc"}');
    expect(() => substitute('<unbound>', bindings)).toThrow();
  });

  describe('example exchanges replayed in order', () => {
    let t: TestFleet;
    const bindings: Bindings = new Map();
    beforeAll(async () => {
      t = await startTestFleet();
    });
    afterAll(async () => {
      await t?.dispose();
    });

    for (const exchange of exchanges) {
      const { request, response } = exchange;
      it(`line ${exchange.line} (${exchange.section}): ${request.target} ${request.method} ${request.path}`, async () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of request.headers) headers[name] = substitute(value, bindings);
        if (request.target === 'admin') headers.Authorization = `Bearer ${t.fleet.adminToken}`;
        const base = request.target === 'admin' ? t.adminUrl : t.deviceUrl;
        const body = request.body.length > 0 ? substitute(request.body, bindings) : undefined;
        const res = await httpRequest(base, substitute(request.path, bindings), { method: request.method, headers, body });

        expect(res.status, `status; body: ${res.text}`).toBe(response.status);
        for (const [name, expectedValue] of response.headers) {
          const actual = res.headers[name.toLowerCase()];
          const problems = matchValue(expectedValue, typeof actual === 'string' ? actual.toLowerCase() : actual, bindings, `header ${name}`);
          if (expectedValue.startsWith('<')) expect(problems).toEqual([]);
          else expect(String(actual ?? '').toLowerCase(), `header ${name}`).toBe(expectedValue.toLowerCase());
        }
        if (response.body.length === 0) return;
        let expectedJson: unknown;
        try {
          expectedJson = JSON.parse(response.body);
        } catch {
          expect(res.text).toBe(response.body);
          return;
        }
        expect(res.json, `not JSON: ${res.text}`).toBeDefined();
        expect(matchValue(expectedJson, res.json, bindings), res.text).toEqual([]);
      });
    }
  });
});
