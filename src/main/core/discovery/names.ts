/**
 * Instance and host names. DNS-SD instance names are one DNS label (≤ 63 bytes of UTF-8);
 * bonjour-service turns dots into dashes, so we do the same up front and report what is really
 * on the wire.
 */
const MAX_LABEL_BYTES = 63;

/** First label of the machine's host name, safe for `<label>.local`. */
export function hostLabel(hostname: string): string {
  const first = hostname.split('.')[0] ?? '';
  const cleaned = first.replace(/[^A-Za-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
  return cleaned.slice(0, MAX_LABEL_BYTES) || 'fleetdesk';
}

function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch, 'utf8') > maxBytes) break;
    out += ch;
  }
  return out;
}

/** The instance name as it goes on the wire: '' → "FleetDesk on <host>", no dots, ≤ 63 bytes. */
export function baseInstanceName(setting: string | undefined, hostname: string): string {
  const wanted = (setting ?? '').trim() || `FleetDesk on ${hostLabel(hostname)}`;
  return truncateUtf8(wanted.replace(/\./g, '-'), MAX_LABEL_BYTES);
}

/** RFC 6762 §9 / DNS-SD §4.1 rename: "Name" → "Name (2)" → "Name (3)" …, still one label. */
export function nthInstanceName(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = ` (${n})`;
  return truncateUtf8(base, MAX_LABEL_BYTES - Buffer.byteLength(suffix)) + suffix;
}
