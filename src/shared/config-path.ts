/**
 * Dotted config keys. A bulk "set config key" of `mqtt.port` sets `port` inside the object `mqtt`
 * (what an operator means), never a flat key literally named "mqtt.port". Because the merge of
 * defaults and overrides is top-level, the device then overrides the whole `mqtt` object: it is
 * copied from what the device has now (override or profile default) with only the path changed.
 */
import type { ConfigObject, JsonValue } from './config';

export type KeyPath = [string, ...string[]];

/** Splits `a.b.c`; null when a segment is empty (`a..b`, `.a`, `a.`). */
export function splitKeyPath(key: string): KeyPath | null {
  const parts = key.trim().split('.');
  if (parts.some((p) => p.length === 0)) return null;
  return parts as KeyPath;
}

const isObject = (v: JsonValue | undefined): v is { [key: string]: JsonValue } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * New value of the top-level key `path[0]` after setting (or, with `value` undefined, removing) the
 * nested path inside `current`. Returns `blocked` naming the segment when the path crosses a value
 * that is not an object (a number, a list): that is not overwritten silently.
 */
export function withPath(
  current: JsonValue | undefined,
  path: readonly string[],
  value: JsonValue | undefined,
): { value: JsonValue | undefined } | { blocked: string } {
  if (path.length === 0) return { value };
  if (current !== undefined && !isObject(current)) return { blocked: '' };
  const [head, ...rest] = path as [string, ...string[]];
  const base: { [key: string]: JsonValue } = isObject(current) ? { ...current } : {};
  const inner = withPath(base[head], rest, value);
  if ('blocked' in inner) return { blocked: inner.blocked ? `${head}.${inner.blocked}` : head };
  if (inner.value === undefined) delete base[head];
  else base[head] = inner.value;
  return { value: base };
}

/** Reads a nested path; undefined when any segment is missing. */
export function readPath(config: ConfigObject, path: readonly string[]): JsonValue | undefined {
  let node: JsonValue | undefined = config;
  for (const part of path) {
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}
