// `npm test`: the whole suite — unit + integration + mDNS (vitest), firmware host tests (g++),
// end-to-end (Playwright + Debian Chromium) — then one closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPrerequisites } from './prerequisites.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, 'test-results', 'reports');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const problems = checkPrerequisites();
if (problems.length > 0) {
  console.error(`npm test cannot run here yet:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const suites = [];
function step(name, command, args, env = {}) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}
function record(name, status, counts) {
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  // A suite that crashed before reporting still fails the run.
  if (status !== 0 && counts.failed === 0) totals.failed += 1;
  suites.push(`${name}: ${counts.passed} passed, ${counts.failed} failed${status !== 0 ? ` (exit ${status})` : ''}`);
}
const readJson = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);

const buildStatus = step('build (electron-vite)', bin('electron-vite'), ['build']);
record('build', buildStatus, { passed: buildStatus === 0 ? 1 : 0, failed: 0, skipped: 0 });

const vitestJson = join(reports, 'vitest.json');
const vitestStatus = step('unit, integration and mDNS tests (vitest)', bin('vitest'), [
  'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`,
]);
const v = readJson(vitestJson);
record('vitest', vitestStatus, {
  passed: v?.numPassedTests ?? 0,
  failed: v?.numFailedTests ?? 0,
  skipped: (v?.numPendingTests ?? 0) + (v?.numTodoTests ?? 0),
});

if (existsSync(join(root, 'firmware', 'test', 'Makefile'))) {
  const fw = spawnSync('make', ['-s', '-C', 'firmware/test'], { cwd: root, encoding: 'utf8' });
  console.log('\n=== firmware host tests (g++) ===');
  process.stdout.write(fw.stdout ?? '');
  process.stderr.write(fw.stderr ?? '');
  const m = /firmware: (\d+) passed, (\d+) failed/.exec(fw.stdout ?? '');
  record('firmware', fw.status ?? 1, { passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0), skipped: 0 });
}

const pwJson = join(reports, 'playwright.json');
const pwStatus = step('end-to-end (Playwright, Chromium)', bin('playwright'), ['test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
});
const p = readJson(pwJson)?.stats;
record('e2e', pwStatus, { passed: p?.expected ?? 0, failed: (p?.unexpected ?? 0) + (p?.flaky ?? 0), skipped: p?.skipped ?? 0 });

console.log(`\n=== summary ===\n${suites.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
