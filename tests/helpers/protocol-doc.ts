/**
 * Reads the example exchanges of docs/protocol.md and matches replies against them, following the
 * rules of the doc's §10 ("How the examples are written"): exact status, listed headers, JSON bodies
 * with the same keys and values except for placeholders (`"<any>"`, bindings like `"<token>"`, and a
 * `"..."` key that allows unlisted keys).
 */
import { readFileSync } from 'node:fs';

export interface ExampleRequest {
  target: 'device' | 'admin';
  method: string;
  path: string;
  headers: [string, string][];
  body: string;
}
export interface ExampleResponse {
  status: number;
  headers: [string, string][];
  body: string;
}
export interface Exchange {
  /** the markdown heading the example sits under, for test names */
  section: string;
  line: number;
  request: ExampleRequest;
  response: ExampleResponse;
}

const FENCE = /^```(.*)$/;
const PLACEHOLDER = /^<([a-z][a-z0-9-]*)>$/;

function splitMessage(text: string): { start: string; headers: [string, string][]; body: string } {
  const lines = text.split('\n');
  const start = lines.shift() ?? '';
  const headers: [string, string][] = [];
  while (lines.length > 0 && lines[0] !== '') {
    const line = lines.shift()!;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`bad header line: ${line}`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  lines.shift(); // the blank line
  return { start, headers, body: lines.join('\n') };
}

export function parseProtocolDoc(file: string): Exchange[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const exchanges: Exchange[] = [];
  let section = '';
  let pending: { request: ExampleRequest; line: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('#')) section = line.replace(/^#+\s*/, '');
    const fence = FENCE.exec(line);
    if (!fence) continue;
    const info = fence[1]!.trim().split(/\s+/);
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`unclosed fence at line ${i + 1}`);
    const content = lines.slice(i + 1, end).join('\n');
    const startLine = i + 1;
    i = end;
    if (info[0] !== 'http') continue;
    const message = splitMessage(content);
    if (info[1] === 'request') {
      if (pending) throw new Error(`request at line ${pending.line} has no response`);
      const [method, path] = message.start.split(' ');
      if (!method || !path) throw new Error(`bad request line at ${startLine}: ${message.start}`);
      pending = { line: startLine, request: { target: info[2] === 'admin' ? 'admin' : 'device', method, path, headers: message.headers, body: message.body } };
    } else if (info[1] === 'response') {
      if (!pending) throw new Error(`response at line ${startLine} follows no request`);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(message.start)?.[1]);
      if (!status) throw new Error(`bad status line at ${startLine}: ${message.start}`);
      exchanges.push({ section, line: pending.line, request: pending.request, response: { status, headers: message.headers, body: message.body } });
      pending = null;
    }
  }
  if (pending) throw new Error(`request at line ${pending.line} has no response`);
  return exchanges;
}

export type Bindings = Map<string, unknown>;

/** Substitutes bound placeholders into a request: `"<name>"` by its JSON, bare `<name>` by its text. */
export function substitute(text: string, bindings: Bindings): string {
  return text
    .replace(/"<([a-z][a-z0-9-]*)>"/g, (whole, name: string) => (bindings.has(name) ? JSON.stringify(bindings.get(name)) : whole))
    .replace(/<([a-z][a-z0-9-]*)>/g, (whole, name: string) => {
      if (!bindings.has(name)) throw new Error(`placeholder ${whole} used before a response bound it`);
      return String(bindings.get(name));
    });
}

/** Returns the mismatches (empty = match); binds placeholders seen for the first time. */
export function matchValue(expected: unknown, actual: unknown, bindings: Bindings, path = '$'): string[] {
  if (typeof expected === 'string') {
    const placeholder = PLACEHOLDER.exec(expected);
    if (placeholder) {
      const name = placeholder[1]!;
      if (actual === undefined) return [`${path}: missing`];
      if (name === 'any') return [];
      if (!bindings.has(name)) {
        bindings.set(name, actual);
        return [];
      }
      return JSON.stringify(bindings.get(name)) === JSON.stringify(actual) ? [] : [`${path}: ${JSON.stringify(actual)} differs from earlier <${name}>`];
    }
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual)}`];
    return expected.flatMap((item, i) => matchValue(item, actual[i], bindings, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const exp = expected as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    const open = '...' in exp;
    const problems: string[] = [];
    for (const key of Object.keys(exp)) {
      if (key === '...') continue;
      if (!(key in act)) problems.push(`${path}.${key}: missing`);
      else problems.push(...matchValue(exp[key], act[key], bindings, `${path}.${key}`));
    }
    if (!open) for (const key of Object.keys(act)) if (!(key in exp)) problems.push(`${path}.${key}: not in the example (${JSON.stringify(act[key])})`);
    return problems;
  }
  return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
