/** Admin contract: a device's config (profile defaults, overrides, effective) and its history. */
import { z } from 'zod';
import type { ConfigObject, ConfigSource } from '../config';

/**
 * A device parses its config with ArduinoJson, whose default nesting limit is 10; the check-in
 * reply wraps the config in one more object, so a config may nest 8 levels (the config object
 * itself counts as one) and leaves headroom. The size bound keeps the reply parseable in the few
 * KiB of heap an ESP8266 has free.
 */
export const CONFIG_MAX_DEPTH = 8;
export const CONFIG_MAX_BYTES = 16 * 1024;

/** How deep `value` nests (a scalar 0, `{}` 1), walked without recursion, stopping past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Checked before the structural schema: a deep value would otherwise exhaust its recursion. */
function withinConfigLimits(extraDepth: number) {
  return z.unknown().superRefine((value, ctx) => {
    const depth = jsonDepth(value, CONFIG_MAX_DEPTH + extraDepth);
    if (depth > CONFIG_MAX_DEPTH + extraDepth) {
      ctx.addIssue({ code: 'custom', message: `config is nested deeper than ${CONFIG_MAX_DEPTH} levels`, abort: true });
      return;
    }
    const bytes = new TextEncoder().encode(JSON.stringify(value) ?? '').length;
    if (bytes > CONFIG_MAX_BYTES) ctx.addIssue({ code: 'custom', message: `config is larger than ${CONFIG_MAX_BYTES} bytes (${bytes})`, abort: true });
  });
}

export const ConfigObjectSchema = withinConfigLimits(0).pipe(z.record(z.string().min(1).max(128), z.json()));
/** One value inside a config (a bulk "set key"): it sits one level below the config object. */
export const ConfigValueSchema = withinConfigLimits(-1).pipe(z.json());

export interface ConfigView {
  /** profile defaults ({} without a profile) */
  defaults: ConfigObject;
  overrides: ConfigObject;
  effective: ConfigObject;
  sources: Record<string, ConfigSource>;
  cfgsn: number;
  cfgsnReported: number | null;
  inSync: boolean;
}

export const ConfigPutSchema = z.object({ overrides: ConfigObjectSchema }).strict();
export const ProfileConfigPutSchema = z.object({ defaults: ConfigObjectSchema }).strict();

export interface ConfigRevision {
  id: number;
  target: 'device' | 'profile';
  targetId: string; // device id or profile id as string
  author: string;
  at: number;
  before: ConfigObject;
  after: ConfigObject;
  /** e.g. 'edit', 'restore of #12', 'bulk set key' */
  reason: string;
}
