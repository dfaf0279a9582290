// `npm start`: the desktop window where Electron can run; otherwise it says why and serves the
// same UI headless on loopback. `npm run serve` (= --headless) skips the window on purpose.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';
import { heapFlags } from './heap.mjs';
import { prepareElectron } from './electron-runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const headless = args.includes('--headless');
const passThrough = args.filter((a) => a !== '--headless');

if (!passThrough.includes('--help') && !passThrough.includes('-h')) buildIfStale(root);

function run(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return child;
}

// The heap is sized from the fleet in the data dir (scripts/heap.mjs; bench/run.ts uses the same).
const heap = heapFlags(root, passThrough);

function serveHeadless() {
  run(process.execPath, [...heap, join(root, 'out', 'main', 'cli.js'), ...passThrough]).on('exit', (code) => process.exit(code ?? 1));
}

if (headless) {
  serveHeadless();
} else {
  const electron = prepareElectron(root);
  if (!electron.ok) {
    console.log(`FleetDesk: the desktop window cannot open here: ${electron.reason}.`);
    if (electron.fix) console.log(`  To get the window: ${electron.fix}`);
    console.log('  Serving the same UI headless on loopback instead.\n');
    serveHeadless();
  } else {
    const startedAt = Date.now();
    run(electron.electronPath, [join(root, 'out', 'main', 'index.js'), ...passThrough], {
      FLEETDESK_SQLITE_BINDING: electron.sqliteBinding,
    }).on('exit', (code) => {
      // A window that dies at once (missing system libraries, GPU trouble) should not leave the
      // user with nothing: fall back to headless and say so.
      if (code !== 0 && Date.now() - startedAt < 5000) {
        console.log(`FleetDesk: Electron exited at start (code ${code}); serving the UI headless instead.\n`);
        serveHeadless();
      } else process.exit(code ?? 0);
    });
  }
}
