import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { startHeadless } from './support/headless';
import { expect, snap, test } from './support/fixtures';

test.describe('headless app login (smoke test)', () => {
  test('the printed login URL opens the UI, once', async () => {
    const app = await startHeadless({ entry: 'built' });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(app.loginUrl);
      await expect(page).toHaveTitle(/FleetDesk/);
      await expect(page.locator('nav[aria-label="Main"]')).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Fleet' })).toBeVisible();
      await expect(page.getByTestId('fleet-empty')).toBeVisible(); // fresh data dir: the teaching empty state
      await expect(page.getByTestId('fleet-empty')).toContainText('npm run simulate');
      await expect(page.getByTestId('fleet-empty')).toContainText(new URL(app.deviceUrl).port);
      await snap(page, 'fleet-empty-light');

      const stranger = await (await browser.newContext()).newPage();
      const reuse = await stranger.goto(app.loginUrl);
      expect(reuse?.status()).toBe(401);
    } finally {
      await browser.close();
      await app.stop();
    }
  });
});
