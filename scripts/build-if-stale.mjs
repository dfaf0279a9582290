// Builds with electron-vite when out/ is missing or older than any source file, so `npm start`
// and `npm run serve` work straight after `npm install` without a separate build step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

export function buildIfStale(root) {
  const marker = join(root, 'out', 'main', 'cli.js');
  const inputs = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p));
  const sourceTime = Math.max(...inputs.map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)));
  if (existsSync(marker) && statSync(marker).mtimeMs >= sourceTime) return;
  console.log('Building FleetDesk (electron-vite build)…');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) {
    console.error('The build failed (see above). Fix it, or run `npm run build` for the full output.');
    process.exit(result.status ?? 1);
  }
}
