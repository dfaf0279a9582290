import type { Page } from '@playwright/test';
import { adminApi, expect, newDevice, open, test } from './support/fixtures';

/** Presses Tab until the focused element matches (the test may not click). */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${max} Tabs did not reach ${selector}`);
}

type FocusLog = { focusLog?: string[] };
/** Records every element that receives the focus from now on (by its label), in order. */
async function recordFocus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as FocusLog;
    if (!w.focusLog) {
      document.addEventListener('focusin', (e) => {
        const el = e.target as HTMLElement;
        w.focusLog?.push(el.getAttribute('aria-label') ?? el.dataset.testid ?? el.tagName);
      }, true);
    }
    w.focusLog = [];
  });
}
const focusSince = (page: Page, label: string) =>
  page.evaluate((l) => {
    const log = (window as unknown as FocusLog).focusLog ?? [];
    return log.slice(log.indexOf(l));
  }, label);

test.describe('bulk "set config key" from the palette', () => {
  // The palette's closing used to hand the focus back to the table once its fade-out ended; the
  // dialog's focus trap then pulled it into the first field, wherever the user was typing by then.
  test('typing at full speed keeps the caret where the user put it', async ({ page }) => {
    test.setTimeout(240_000); // three rounds on a shared, loaded machine
    const stamp = Date.now().toString(36);
    const devices = [newDevice(), newDevice(), newDevice()];
    for (const [i, d] of devices.entries()) {
      await d.register();
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name: `caret-${stamp}-${i}` });
    }
    await open(page, '/');
    await tabTo(page, '[data-testid="fleet-search"] input');
    await page.keyboard.type(`caret-${stamp}`);
    await expect(page.locator('.fleet-row')).toHaveCount(3);
    await tabTo(page, '[data-testid="fleet-grid"]');
    for (const key of ['Space', 'ArrowDown', 'Space', 'ArrowDown', 'Space']) await page.keyboard.press(key);
    await expect(page.getByTestId('selected-count')).toHaveText('3');

    const palette = page.getByRole('dialog', { name: 'Command palette' });
    const keyField = page.getByLabel('Config key');
    const valueField = page.getByLabel('Config value');
    for (let round = 0; round < 3; round++) {
      await page.keyboard.press('Control+k');
      await page.keyboard.type('set config key');
      await expect(page.locator('#palette-list [aria-selected="true"]')).toContainText('Set config key on 3 selected');
      await recordFocus(page);
      await page.keyboard.press('Enter');
      // the user starts typing the moment the first field has the caret, no pause
      await expect(keyField).toBeFocused();
      await page.keyboard.type('report_every');
      await page.keyboard.press('Tab');
      await expect(valueField).toBeFocused();
      // …and is still typing when the palette has finished closing behind the dialog
      await expect(palette).toHaveCount(0);
      await page.keyboard.type(`6${round}`);
      await expect(keyField).toHaveValue('report_every');
      await expect(valueField).toHaveValue(`6${round}`);
      await expect(valueField).toBeFocused();
      // wherever the typing was when the palette finished closing: nothing moved the focus but the user
      expect(await focusSince(page, 'Config key')).toEqual(['Config key', 'Config value']);
      if (round < 2) {
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('bulk-dialog')).toHaveCount(0);
        await tabTo(page, '[data-testid="fleet-grid"]');
      }
    }
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('bulk-dialog')).toHaveCount(0);
    for (const d of devices) {
      const device = await adminApi<{ overrides: Record<string, unknown> }>('GET', `/api/devices/${encodeURIComponent(d.mac)}/config`);
      expect(device.overrides).toEqual(expect.objectContaining({ report_every: 62 }));
    }
  });
});
