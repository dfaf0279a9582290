/**
 * Name uniqueness, RFC 6762 §8 (probing) and §9 (conflict resolution). bonjour-service's own
 * probe only gives up ("Service name is already in use") and has no tie-break for simultaneous
 * probes, so two FleetDesk servers started together would both claim the name; we probe with
 * our records in the authority section and let the lexicographically later record set win.
 */
import type { LinkResponder, MdnsPacket } from './link';
import { rdataKey, type WireRecord } from './records';

export const PROBE_INTERVAL_MS = 250;
const PROBE_COUNT = 3;
const LOST_TIEBREAK_WAIT_MS = 1000;
const MAX_TIEBREAK_ROUNDS = 5;

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Our claim on a name: the unique records (SRV, TXT) that carry it. */
export interface Claim {
  fqdn: string;
  records: WireRecord[];
}

function keysOf(records: { type: string; data: unknown }[]): string {
  return records.map(rdataKey).sort().join('\n');
}

/** Records about our name in a packet that are not ours: someone else owns or wants the name. */
export function foreignRecords(claim: Claim, records: WireRecord[]): WireRecord[] {
  const mine = new Set(claim.records.map(rdataKey));
  return records.filter((r) => sameName(r.name, claim.fqdn) && (r.type === 'SRV' || r.type === 'TXT') && !mine.has(rdataKey(r)));
}

/** True when our claim loses the §8.2 tie-break against `theirs` (compared as record data). */
export function losesTiebreak(claim: Claim, theirs: WireRecord[]): boolean {
  const ours = claim.records.filter((r) => sameName(r.name, claim.fqdn));
  return keysOf(ours) < keysOf(theirs.filter((r) => sameName(r.name, claim.fqdn)));
}

type ProbeRound = 'unique' | 'taken' | 'lost';

function probeOnce(links: LinkResponder[], claim: Claim, isCancelled: () => boolean): Promise<ProbeRound> {
  return new Promise((resolve) => {
    let outcome: ProbeRound | null = null;
    const onResponse = (packet: MdnsPacket): void => {
      if (foreignRecords(claim, [...packet.answers, ...packet.additionals]).length > 0) finish('taken');
    };
    const onQuery = (packet: MdnsPacket): void => {
      if (!packet.questions.some((q) => sameName(q.name, claim.fqdn))) return;
      const theirs = foreignRecords(claim, packet.authorities ?? []);
      if (theirs.length > 0 && losesTiebreak(claim, theirs)) finish('lost');
    };
    const finish = (result: ProbeRound): void => {
      if (outcome) return;
      outcome = result;
      for (const link of links) {
        link.mdns.removeListener('response', onResponse);
        link.mdns.removeListener('query', onQuery);
      }
      resolve(result);
    };
    for (const link of links) {
      link.mdns.on('response', onResponse);
      link.mdns.on('query', onQuery);
    }
    void (async () => {
      await sleep(Math.random() * PROBE_INTERVAL_MS); // §8.1: spread simultaneous starts
      for (let i = 0; i < PROBE_COUNT && !outcome && !isCancelled(); i++) {
        const probe = { questions: [{ name: claim.fqdn, type: 'ANY', class: 'IN' }], authorities: claim.records };
        await Promise.all(links.map((l) => l.query(probe)));
        await sleep(PROBE_INTERVAL_MS);
      }
      finish('unique');
    })();
  });
}

/**
 * Probe `claim` on every link. 'unique' → announce; 'taken' → pick the next name. Losing a
 * simultaneous-probe tie-break means wait a second and probe again (§8.2): by then the winner
 * answers and we learn the name is taken.
 */
export async function probeName(links: LinkResponder[], claim: Claim, isCancelled: () => boolean): Promise<'unique' | 'taken'> {
  for (let round = 0; round < MAX_TIEBREAK_ROUNDS; round++) {
    const result = await probeOnce(links, claim, isCancelled);
    if (result !== 'lost') return result;
    await sleep(LOST_TIEBREAK_WAIT_MS);
  }
  return 'taken';
}
