import { chromium } from '@playwright/test';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { startHeadless } from './support/headless';
import { expect, snap, test } from './support/fixtures';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

test('core unreachable: a clear banner, then reconnection (signed out after a restart)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetdesk-banner-'));
  const options = { entry: 'built' as const, dataDir, adminPort: await freePort() };
  let app = await startHeadless(options);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(app.loginUrl);
    await expect(page.locator('.nav-foot')).toContainText('live');
    await expect(page.getByTestId('unreachable-banner')).toHaveCount(0);

    await app.stop();
    await expect(page.getByTestId('unreachable-banner')).toBeVisible();
    await expect(page.locator('.nav-foot')).toContainText('disconnected');
    await snap(page, 'unreachable-light');

    // the core comes back on the same port; its sessions lived in memory, so this one is gone
    app = await startHeadless(options);
    await expect(page.getByTestId('unreachable-banner')).toHaveCount(0, { timeout: 15_000 });
    await expect(page.getByTestId('signed-out-banner')).toBeVisible();
    await snap(page, 'signed-out-light');

    // the new login URL brings the live view back
    await page.goto(app.loginUrl);
    await expect(page.locator('.nav-foot')).toContainText('live');
    await expect(page.getByTestId('signed-out-banner')).toHaveCount(0);
  } finally {
    await browser.close();
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
