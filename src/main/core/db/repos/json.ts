import type { ConfigObject } from '../../../../shared/config';

/** JSON columns hold objects we wrote ourselves; a corrupt value degrades to empty, never crashes a list. */
export function parseObject(text: string | null | undefined): ConfigObject {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as ConfigObject) : {};
  } catch {
    return {};
  }
}

export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
