import { adminApi, expect, newDevice, open, test } from './support/fixtures';

test.describe('bulk actions', () => {
  test('shift-click selects a range; "Add tags" names the devices and tags them all', async ({ page }) => {
    const stamp = Date.now().toString(36);
    const devices = [newDevice(), newDevice(), newDevice(), newDevice()];
    for (const [i, d] of devices.entries()) {
      await d.register();
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name: `bulk-${stamp}-${i}` });
    }
    await open(page, '/');
    await page.getByTestId('fleet-search').locator('input').fill(`bulk-${stamp}`);
    const rows = page.locator('.fleet-row');
    await expect(rows).toHaveCount(4);

    await rows.nth(0).locator('.row-check').click();
    await rows.nth(2).locator('.row-check').click({ modifiers: ['Shift'] });
    await expect(page.getByTestId('selected-count')).toHaveText('3');

    await page.getByTestId('bulk-add-tags').click();
    const dialog = page.getByTestId('bulk-dialog');
    await dialog.getByTestId('bulk-tags').locator('button').click();
    await page.keyboard.type('rack-7');
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('bulk-confirm-text')).toContainText('3 devices');
    await expect(dialog.getByTestId('bulk-confirm-text')).toContainText(`bulk-${stamp}-0, bulk-${stamp}-1, bulk-${stamp}-2`);
    await dialog.getByTestId('bulk-apply').click();
    await expect(dialog).toHaveCount(0);

    for (const i of [0, 1, 2]) await expect(rows.nth(i)).toContainText('rack-7');
    await expect(rows.nth(3)).not.toContainText('rack-7');
    const tagged = await adminApi<{ total: number }>('GET', '/api/devices?tag=rack-7');
    expect(tagged.total).toBe(3);

    // "all N matching this filter": the 4th device too, through the server-side filter
    await page.getByTestId('select-all-matching').click();
    await expect(page.getByTestId('selected-count')).toHaveText('4');
    await page.getByTestId('bulk-add-tags').click();
    await dialog.getByTestId('bulk-tags').locator('button').click();
    await page.keyboard.type('audited');
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('bulk-confirm-text')).toContainText('4 devices');
    await dialog.getByTestId('bulk-apply').click();
    await expect(rows.nth(3)).toContainText('audited');
  });
});
