/**
 * The check-in body. CheckinRequestSchema (src/shared/protocol.ts) is the rule; this only
 * recognises the body nearly every check-in carries — telemetry, applied cfgsn, running version
 * and md5, the boot report, no acks — and lets it through without a copy. Anything else (acks, an OTA report,
 * unknown fields, anything wrong) goes through the schema, which also words the 400.
 * In the benchmark profile zod was about 2.5 % of a check-in's server time.
 */
import { BOOT_REASONS, CheckinRequestSchema, type CheckinRequest, DEVICE_READING_NAMES, DEVICE_READINGS } from '../../../../shared/protocol';

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isShortText = (v: unknown, max: number): boolean => typeof v === 'string' && v.length <= max;

/** Every key of the plain body, with the schema's bound for it; `undefined` counts as absent. */
const PLAIN_FIELDS: Record<string, (v: unknown) => boolean> = {
  cfgsn: isCount,
  ip: (v) => isShortText(v, 45),
  ssid: (v) => isShortText(v, 64),
  ...Object.fromEntries(
    DEVICE_READING_NAMES.map((name) => {
      const { min, max } = DEVICE_READINGS[name];
      return [name, (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max];
    }),
  ),
  fw: isPlainFirmware,
  acks: (v) => Array.isArray(v) && v.length === 0,
  boot: isPlainBoot,
};

const BOOT_REASON_SET: ReadonlySet<unknown> = new Set(BOOT_REASONS);
/** The boot report every current firmware sends with every check-in. */
function isPlainBoot(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const { count, reason, slot, trial } = v as Record<string, unknown>;
  return Object.keys(v).length === 4 && isCount(count) && (count as number) <= 0xffffffff && BOOT_REASON_SET.has(reason)
    && (slot === 0 || slot === 1) && typeof trial === 'boolean';
}
const isMd5 = (v: unknown): boolean => typeof v === 'string' && v.length === 32 && /^[0-9a-fA-F]{32}$/.test(v);

function isPlainFirmware(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  for (const key in v) {
    const value = (v as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'md5') {
      if (!isMd5(value)) return false;
    } else if ((key !== 'name' && key !== 'version') || !isShortText(value, 64)) return false;
  }
  return true;
}

function isPlainCheckin(body: object): boolean {
  if (Array.isArray(body) || Object.getPrototypeOf(body) !== Object.prototype) return false;
  for (const key in body) {
    const check = Object.hasOwn(PLAIN_FIELDS, key) ? PLAIN_FIELDS[key] : undefined;
    const value = (body as Record<string, unknown>)[key];
    if (!check || (value !== undefined && !check(value))) return false;
  }
  return true;
}

/** The validated check-in request; throws the schema's ZodError (→ 400 with details) when invalid. */
export function parseCheckinBody(body: unknown): CheckinRequest {
  if (body === undefined || body === null) return {};
  if (body !== null && typeof body === 'object' && isPlainCheckin(body)) return body;
  return CheckinRequestSchema.parse(body);
}
