// `npm run test:desktop`: launches the real desktop app with Playwright's Electron driver and checks
// the window, where an Electron runtime and a display exist. Elsewhere it says why it cannot run and
// exits 0 — reporting nothing as passed. It is not part of `npm test` (whose count it must not join);
// the shell's use of Electron's API is covered there against a stand-in (tests/integration/shell/).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';
import { prepareElectron } from './electron-runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const electron = prepareElectron(root);
if (!electron.ok) {
  console.log(`test:desktop: NOT RUN: ${electron.reason}.`);
  if (electron.fix) console.log(`  To run it: ${electron.fix}`);
  console.log('  No desktop test ran, so none passed. Run it on a machine with a display and the Electron runtime.');
  process.exit(0);
}

buildIfStale(root);
const result = spawnSync(join(root, 'node_modules', '.bin', 'playwright'), ['test', '-c', join('tests', 'desktop', 'playwright.config.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FLEETDESK_ELECTRON_PATH: electron.electronPath, FLEETDESK_SQLITE_BINDING: electron.sqliteBinding },
});
process.exit(result.status ?? 1);
