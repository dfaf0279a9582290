/**
 * Webhook bodies: the default JSON, or the operator's JSON template with {{field}} placeholders.
 * A string that is exactly one placeholder becomes the field's typed value (number, null, bool);
 * placeholders inside longer strings are interpolated as text. Only the names of WEBHOOK_FIELDS
 * exist; the template is parsed as JSON when it is saved, so a broken one never reaches a send.
 */
import { WEBHOOK_FIELDS } from '../../../../../shared/api/alerts';
import type { AlertPayload } from './channel-kind';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function fieldsOf(p: AlertPayload): Record<string, Json> {
  return {
    'device.mac': p.device.mac,
    'device.name': p.device.name,
    'device.location': p.device.location,
    'device.profile': p.device.profile,
    'rule.id': p.rule.id,
    'rule.name': p.rule.name,
    'rule.kind': p.rule.kind,
    state: p.state,
    value: p.value,
    message: p.message,
    at: new Date(p.at).toISOString(),
    atMs: p.at,
    link: p.link,
    alertId: p.alertId,
    test: p.test,
  };
}

export function defaultBody(p: AlertPayload): Json {
  const f = fieldsOf(p);
  return {
    device: { mac: p.device.mac, name: p.device.name, location: p.device.location, profile: p.device.profile },
    rule: { id: p.rule.id, name: p.rule.name, kind: p.rule.kind },
    state: p.state,
    value: p.value,
    message: p.message,
    at: f['at']!,
    link: p.link,
    alertId: p.alertId,
    test: p.test,
  };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z.]+)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z.]+)\s*\}\}$/;

/** Why the template cannot be used, or null when it can. */
export function templateProblem(template: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(template);
  } catch (err) {
    return `the body template is not JSON: ${(err as Error).message}`;
  }
  const unknown = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(PLACEHOLDER)) if (!(m[1]! in WEBHOOK_FIELDS)) unknown.add(m[1]!);
    } else if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        walk(k);
        walk(v);
      }
    }
  };
  walk(parsed);
  return unknown.size === 0 ? null : `unknown placeholder ${[...unknown].map((n) => `{{${n}}}`).join(', ')}; use ${Object.keys(WEBHOOK_FIELDS).join(', ')}`;
}

export function renderBody(template: string | null, p: AlertPayload): string {
  if (template === null) return JSON.stringify(defaultBody(p));
  const fields = fieldsOf(p);
  const text = (v: Json | undefined): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  const fill = (value: Json): Json => {
    if (typeof value === 'string') {
      const whole = WHOLE.exec(value);
      if (whole) return fields[whole[1]!] ?? null;
      return value.replace(PLACEHOLDER, (_m, name: string) => text(fields[name]));
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return JSON.stringify(fill(JSON.parse(template) as Json));
}
