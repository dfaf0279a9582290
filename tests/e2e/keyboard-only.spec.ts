import type { Page } from '@playwright/test';
import { adminApi, expect, newDevice, open, test } from './support/fixtures';
import { snapWidthsAndThemes } from './support/screens';

/** Presses Tab until the focused element matches (the test may not click). */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${max} Tabs did not reach ${selector}`);
}

test.describe('keyboard only', () => {
  test('palette → device → rename → back → select three → bulk action, without the mouse', async ({ page }) => {
    test.setTimeout(300_000); // four screenshots and many single key presses on a shared, loaded machine
    const stamp = Date.now().toString(36);
    const devices = [newDevice(), newDevice(), newDevice()];
    for (const [i, d] of devices.entries()) {
      await d.register();
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name: `ks-${stamp}-${i}` });
    }
    await open(page, '/');

    // find a device with the palette and open it
    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('palette-input').locator('input');
    await expect(palette).toBeFocused();
    await page.keyboard.type(`ks-${stamp}-1`);
    await expect(page.locator('#palette-list [role="option"]').first()).toContainText(`ks-${stamp}-1`);
    await snapWidthsAndThemes(page, 'palette');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('device-title')).toHaveText(`ks-${stamp}-1`);

    // edit its name
    await tabTo(page, '[data-testid="field-name"] input');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(`ks-${stamp}-renamed`);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('device-title')).toHaveText(`ks-${stamp}-renamed`);

    // back to the fleet, through the palette
    await page.keyboard.press('Control+k');
    await page.keyboard.type('fleet');
    await expect(page.locator('#palette-list [aria-selected="true"]')).toContainText('Fleet');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('fleet-search')).toBeVisible();

    // filter, then select three rows from the table's single Tab stop
    await tabTo(page, '[data-testid="fleet-search"] input');
    await page.keyboard.type(`ks-${stamp}`);
    await expect(page.locator('.fleet-row')).toHaveCount(3);
    await tabTo(page, '[data-testid="fleet-grid"]');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('selected-count')).toHaveText('3');

    // run a bulk action on them from the palette: set a config key, typed at full speed, applied from the button
    await page.keyboard.press('Control+k');
    await page.keyboard.type('set config key');
    await expect(page.locator('#palette-list [aria-selected="true"]')).toContainText('Set config key on 3 selected');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('bulk-dialog');
    await expect(page.getByLabel('Config key')).toBeFocused();
    await page.keyboard.type('report_every');
    await page.keyboard.press('Tab');
    await page.keyboard.type('60');
    await expect(page.getByTestId('bulk-preview-value')).toHaveText('60');
    await tabTo(page, '[data-testid="bulk-apply"]');
    await page.keyboard.press('Enter');
    await expect(dialog).toHaveCount(0);
    for (const d of devices) {
      const config = await adminApi<{ overrides: Record<string, unknown> }>('GET', `/api/devices/${encodeURIComponent(d.mac)}/config`);
      expect(config.overrides).toEqual(expect.objectContaining({ report_every: 60 }));
    }
  });
});
