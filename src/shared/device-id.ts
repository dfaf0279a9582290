/**
 * Device ids. A device is identified by its MAC; the legacy protocol also allowed short
 * chip-id-like names, so a second, explicitly safe pattern is accepted too.
 */

const MAC_DIGITS = /^[0-9a-f]{12}$/;
const NORMAL_MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const MAC_LIKE = /^[0-9A-Fa-f:.-]+$/;
const SAFE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Normalises `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff`, `AABBCCDDEEFF` … to `aa:bb:cc:dd:ee:ff`. */
export function normalizeMac(raw: string): string | null {
  if (NORMAL_MAC.test(raw)) return raw; // already normalised: what devices send on every call
  if (!MAC_LIKE.test(raw)) return null;
  const digits = raw.replace(/[:.-]/g, '').toLowerCase();
  if (!MAC_DIGITS.test(digits)) return null;
  return digits.match(/../g)!.join(':');
}

/**
 * Normalises any accepted device id: a MAC (see normalizeMac) or a safe legacy name
 * (letters, digits, `_` and `-`, at most 64, lower-cased). Returns null when the id is refused.
 */
export function normalizeDeviceId(raw: string): string | null {
  const mac = normalizeMac(raw);
  if (mac) return mac;
  const lower = raw.toLowerCase();
  return SAFE_NAME.test(lower) ? lower : null;
}
