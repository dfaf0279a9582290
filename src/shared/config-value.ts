/**
 * How the bulk "set config key" dialog reads what was typed: JSON when it parses, plain words as a
 * string — but text that looks like JSON and does not parse (`{bad`, `[1,`, `"open`) is an error,
 * never silently a string.
 */
import type { JsonValue } from './config';

export type ValueType = 'number' | 'boolean' | 'null' | 'string' | 'list' | 'object';

export type ParsedValue =
  | { ok: true; value: JsonValue; type: ValueType; /** plain text taken as a string */ asText: boolean }
  | { ok: false; message: string };

export function typeOf(value: JsonValue): ValueType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value as 'number' | 'boolean' | 'string';
}

const LOOKS_LIKE_JSON = /^\s*[[{"]|^\s*-?\d/;

export function parseConfigValue(text: string): ParsedValue {
  if (text.trim() === '') return { ok: false, message: 'Type a value (use "" for an empty text).' };
  try {
    const value = JSON.parse(text) as JsonValue;
    return { ok: true, value, type: typeOf(value), asText: false };
  } catch (e) {
    if (LOOKS_LIKE_JSON.test(text)) {
      const detail = e instanceof Error ? e.message.replace(/^JSON\.parse: /, '') : '';
      return { ok: false, message: `This looks like JSON but does not parse${detail ? ` (${detail})` : ''}. Fix it, or wrap text in "quotes".` };
    }
    return { ok: true, value: text, type: 'string', asText: true };
  }
}
