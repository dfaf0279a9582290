// Finds out whether the desktop window can open here, preparing what it needs on first use:
// the Electron binary (its install script is skipped at `npm install`, see package.json
// allowScripts) and a better-sqlite3 built for Electron's ABI, kept apart from the Node-ABI
// build that the tests and the headless server use.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {{ ok: true, electronPath: string, sqliteBinding: string } | { ok: false, reason: string, fix?: string }} */
export function prepareElectron(root, env = process.env) {
  if (env.FLEETDESK_HEADLESS === '1') return { ok: false, reason: 'FLEETDESK_HEADLESS=1 is set' };
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  const electronDir = join(root, 'node_modules', 'electron');
  if (!existsSync(electronDir)) return { ok: false, reason: 'the electron package is not installed', fix: 'npm install' };

  const electronPath = electronBinary(electronDir) ?? installElectron(electronDir);
  if (!electronPath) {
    return {
      ok: false,
      reason: 'the Electron runtime is not downloaded and could not be fetched (offline?)',
      fix: `node ${join('node_modules', 'electron', 'install.js')}  (needs internet once)`,
    };
  }
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  const sqliteBinding = electronSqliteBinding(root, version);
  if (!sqliteBinding) {
    return {
      ok: false,
      reason: `better-sqlite3 could not be prepared for Electron ${version}`,
      fix: `rm -rf .cache/electron-native && npm start  (needs internet once, or a C++ toolchain)`,
    };
  }
  return { ok: true, electronPath, sqliteBinding };
}

function electronBinary(electronDir) {
  try {
    const path = join(electronDir, 'dist', readFileSync(join(electronDir, 'path.txt'), 'utf8'));
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function installElectron(electronDir) {
  console.log('Downloading the Electron runtime (first start only)…');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: 'inherit',
    timeout: 10 * 60_000,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  return result.status === 0 ? electronBinary(electronDir) : null;
}

/**
 * A private copy of better-sqlite3 whose native module targets Electron: the prebuilt binary
 * for this Electron version when one can be downloaded, else a source build against Electron's
 * headers. The core loads it through better-sqlite3's `nativeBinding` option.
 */
function electronSqliteBinding(root, electronVersion) {
  const copy = join(root, '.cache', 'electron-native', `electron-${electronVersion}`, 'better-sqlite3');
  const binding = join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  console.log(`Preparing better-sqlite3 for Electron ${electronVersion} (first start only)…`);
  mkdirSync(copy, { recursive: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), copy, {
    recursive: true,
    filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
  });
  const target = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`];
  const prebuild = spawnSync(process.execPath, [require.resolve('prebuild-install/bin.js'), ...target], { cwd: copy, stdio: 'inherit' });
  if (prebuild.status === 0 && existsSync(binding)) return binding;
  const nodeGyp = spawnSync('npx', ['--yes', 'node-gyp', 'rebuild', '--release', ...target, '--dist-url=https://electronjs.org/headers'], {
    cwd: copy,
    stdio: 'inherit',
    env: { ...process.env, npm_config_nodedir: '' },
  });
  return nodeGyp.status === 0 && existsSync(binding) ? binding : null;
}
