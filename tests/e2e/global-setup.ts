/**
 * Builds the app when out/ is stale, starts the headless app on loopback with a fresh data dir,
 * signs in once through its printed login URL and keeps that session for every test.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { repoRoot, startHeadless } from './support/headless';
import { E2E_ENV, SCREENSHOT_DIR, STATE_DIR } from './support/paths';

function buildIfStale(): void {
  const script = `import('./scripts/build-if-stale.mjs').then((m) => m.buildIfStale(process.cwd()))`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  buildIfStale();
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  mkdirSync(STATE_DIR, { recursive: true });

  const app = await startHeadless({ entry: 'built' });
  process.env[E2E_ENV] = JSON.stringify({ deviceUrl: app.deviceUrl, adminUrl: app.adminUrl, adminToken: app.adminToken, dataDir: app.dataDir });

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.loginUrl);
    await page.waitForSelector('nav[aria-label="Main"]', { timeout: 20_000 });
    await context.storageState({ path: join(STATE_DIR, 'session.json') });
  } finally {
    await browser.close();
  }
  writeFileSync(join(STATE_DIR, 'app.json'), process.env[E2E_ENV]);
  return async () => {
    await app.stop();
  };
}
