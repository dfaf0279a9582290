/**
 * The DNS records of our advertisement, per interface. PTR/SRV/TXT come from bonjour-service's
 * own Service builder (its naming and TXT encoding); the address records do not, because
 * bonjour-service lists every address of the machine while we must give only the address of the
 * link the answer goes out on (RFC 6762 §6.2, and "not advertised on an interface left out").
 */
import { Service } from 'bonjour-service';

type ServiceRecord = ReturnType<Service['records']>[number];

export const SERVICE_TYPE = 'fleetdesk';
export const TXT_RECORD = { v: '1', api: '/api/v1', legacy: '/api' } as const;

/** A record as multicast-dns / dns-packet take it (flush = cache-flush bit, unique records). */
export interface WireRecord {
  name: string;
  type: string;
  ttl: number;
  class?: string;
  flush?: boolean;
  data: unknown;
}

export interface AdvertisedIdentity {
  instanceName: string;
  host: string; // "<label>.local"
  port: number;
  serverId: string;
}

const noop = (): void => undefined;

function serviceFor(id: AdvertisedIdentity): Service {
  return new Service(
    { name: id.instanceName, type: SERVICE_TYPE, port: id.port, host: id.host, txt: { ...TXT_RECORD, id: id.serverId }, disableIPv6: true },
    noop,
    noop,
  );
}

export function instanceFqdn(id: AdvertisedIdentity): string {
  return serviceFor(id).fqdn;
}

/** The service's records (PTR, SRV, TXT, DNS-SD enumeration PTR) — no addresses. */
export function serviceRecords(id: AdvertisedIdentity): WireRecord[] {
  return serviceFor(id)
    .records()
    .filter((r: ServiceRecord) => r.type !== 'A' && r.type !== 'AAAA')
    .map((r: ServiceRecord) => ({ ...r, flush: r.type === 'SRV' || r.type === 'TXT' }));
}

export function addressRecord(host: string, address: string): WireRecord {
  return { name: host, type: 'A', ttl: 120, flush: true, data: address };
}

export function linkRecords(id: AdvertisedIdentity, address: string): WireRecord[] {
  return [...serviceRecords(id), addressRecord(id.host, address)];
}

export function goodbyeOf(records: WireRecord[]): WireRecord[] {
  return records.map((r) => ({ ...r, ttl: 0, flush: false }));
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Answers for the questions of a legacy (one-shot) query, RFC 6762 §6.7: TTL at most 10 s, no
 * cache-flush bit; addresses of SRV targets and SRV/TXT of PTR targets as additionals.
 */
export function answersFor(
  records: WireRecord[],
  questions: { name: string; type: string }[],
): { answers: WireRecord[]; additionals: WireRecord[] } {
  const pick = (name: string, type: string): WireRecord[] =>
    records.filter((r) => sameName(r.name, name) && (type === 'ANY' || r.type === type));
  const answers = questions.flatMap((q) => pick(q.name, q.type));
  const extra: WireRecord[] = [];
  for (const a of answers) {
    if (a.type === 'PTR' && typeof a.data === 'string') extra.push(...pick(a.data, 'SRV'), ...pick(a.data, 'TXT'));
  }
  for (const r of [...answers, ...extra]) {
    if (r.type === 'SRV') extra.push(...pick((r.data as { target: string }).target, 'A'));
  }
  const legacy = (r: WireRecord): WireRecord => ({ ...r, ttl: Math.min(r.ttl, 10), flush: false });
  const unique = (list: WireRecord[]): WireRecord[] => [...new Set(list)];
  const answerSet = new Set(answers);
  return { answers: unique(answers).map(legacy), additionals: unique(extra).filter((r) => !answerSet.has(r)).map(legacy) };
}

/** Comparable rendering of a record's data, to tell "our own echo" from "someone else's". */
export function rdataKey(r: { type: string; data: unknown }): string {
  if (r.type === 'SRV') {
    const d = r.data as { port: number; target: string };
    return `SRV ${d.port} ${String(d.target).toLowerCase()}`;
  }
  if (r.type === 'TXT') {
    const parts = Array.isArray(r.data) ? r.data : [r.data];
    return `TXT ${parts.map((p) => Buffer.from(p as Buffer | string).toString('hex')).join(' ')}`;
  }
  return `${r.type} ${JSON.stringify(r.data)}`;
}
