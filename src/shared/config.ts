/** Configuration: a flat-or-nested JSON object of properties. Effective = defaults ⊕ overrides. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ConfigObject = { [key: string]: JsonValue };
export type ConfigSource = 'default' | 'override';

/**
 * Top-level merge: a device override replaces the profile default of the same key whole.
 * (Deep merge was considered and rejected: an operator overriding `{"pins": {...}}` expects
 * exactly what they typed, not a blend they cannot see.)
 */
export function mergeConfig(defaults: ConfigObject, overrides: ConfigObject): ConfigObject {
  return { ...defaults, ...overrides };
}

export function configSources(defaults: ConfigObject, overrides: ConfigObject): Record<string, ConfigSource> {
  const sources: Record<string, ConfigSource> = {};
  for (const key of Object.keys(defaults)) sources[key] = 'default';
  for (const key of Object.keys(overrides)) sources[key] = 'override';
  return sources;
}

/** Stable serialisation (sorted keys) so equal configs compare equal regardless of key order. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function configEquals(a: ConfigObject, b: ConfigObject): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
