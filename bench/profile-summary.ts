/**
 * `npx tsx bench/profile-summary.ts FILE.cpuprofile [N]`: the top N functions by self time and by
 * inclusive time of a V8 CPU profile (from `npm run bench -- --cpu-prof`), so a missed target
 * comes with where the time goes rather than a guess.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const [file, topArg, stallArg, fromArg, toArg] = process.argv.slice(2);

if (!file) {
  console.error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [N] [STALL_MS] [FROM_S TO_S]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
/** optional window, seconds since the profile started (the phases in bench/results.json) */
const windowFrom = Number(fromArg ?? 0);
const windowTo = Number(toArg ?? Infinity);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfMs = new Map<number, number>();
let elapsed = 0;
profile.samples.forEach((id, i) => {
  const delta = (profile.timeDeltas[i] ?? 0) / 1000;
  elapsed += delta;
  if (elapsed / 1000 < windowFrom || elapsed / 1000 > windowTo) return;
  selfMs.set(id, (selfMs.get(id) ?? 0) + delta);
});

const label = (n: ProfileNode) => {
  const url = n.callFrame.url.replace(/^.*\/(node_modules\/)?/, (m, nm: string | undefined) => (nm ? 'node_modules/' : ''));
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
};
const selfByLabel = new Map<string, number>();
const inclusiveByLabel = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const node = byId.get(id)!;
  selfByLabel.set(label(node), (selfByLabel.get(label(node)) ?? 0) + ms);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue; // recursion counts once
    seen.add(l);
    inclusiveByLabel.set(l, (inclusiveByLabel.get(l) ?? 0) + ms);
  }
}
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
const idle = [...selfMs].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, ms]) => a + ms, 0);
const PSEUDO = new Set(['(idle)', '(root)', '(program)']);
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [l, ms] of [...map].filter(([l]) => !PSEUDO.has(l.split(' ')[0]!)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / (total - idle)) * 100).toFixed(1).padStart(5)} %  ${l}`);
  }
};
console.log(`${file}: ${(total / 1000).toFixed(1)} s sampled, ${(idle / 1000).toFixed(1)} s idle, ${((total - idle) / 1000).toFixed(1)} s busy`);
print('self time (busy %)', selfByLabel);
print('inclusive time (busy %)', inclusiveByLabel);

/**
 * Stalls: stretches of uninterrupted non-idle samples longer than STALL_MS. A request arriving
 * during one waits for it, so these are what a p99 latency is made of.
 */
const stallMs = Number(stallArg ?? 10);
const stalls: { at: number; ms: number; ids: number[] }[] = [];
let current: { at: number; ms: number; ids: number[] } | null = null;
let clock = 0;
profile.samples.forEach((id, i) => {
  const delta = (profile.timeDeltas[i] ?? 0) / 1000;
  clock += delta;
  const inWindow = clock / 1000 >= windowFrom && clock / 1000 <= windowTo;
  const idleSample = !inWindow || byId.get(id)!.callFrame.functionName === '(idle)';
  if (idleSample) {
    if (current && current.ms >= stallMs) stalls.push(current);
    current = null;
  } else {
    current ??= { at: clock, ms: 0, ids: [] };
    current.ms += delta;
    current.ids.push(id);
  }
});
console.log(`\nstalls ≥ ${stallMs} ms between ${windowFrom} s and ${windowTo} s: ${stalls.length}, longest ${Math.max(0, ...stalls.map((s) => s.ms)).toFixed(0)} ms`);
/** Frames of our own code (or a native/GC pseudo-frame), to name what a stall was doing. */
const ownFrame = (l: string) => !/ node:|node_modules\/|task_queues|async_hooks|^\(root\)|^\(program\)/.test(l) && !/^(\(anonymous\)|emit|next|handle) /.test(l);
for (const stall of [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 10)) {
  const counts = new Map<string, number>();
  for (const id of stall.ids) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l) || !ownFrame(l)) continue;
      seen.add(l);
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
  }
  const top3 = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, n]) => `${l.split(' ')[0]} ${Math.round((n / stall.ids.length) * 100)}%`);
  console.log(`  at ${(stall.at / 1000).toFixed(2)} s: ${stall.ms.toFixed(0)} ms — ${top3.join(', ')}`);
}
const inStalls = new Map<string, number>();
for (const stall of stalls) {
  for (const id of stall.ids) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inStalls.set(l, (inStalls.get(l) ?? 0) + 1);
    }
  }
}
const stallSamples = stalls.reduce((a, s) => a + s.ids.length, 0);
console.log('what runs during stalls (share of stall samples):');
for (const [l, n] of [...inStalls].filter(([l]) => !PSEUDO.has(l.split(' ')[0]!)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((n / stallSamples) * 100).toFixed(1).padStart(6)} %  ${l}`);
}
