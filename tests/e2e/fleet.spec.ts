import { adminApi, expect, newDevice, open, snap, test, useColourScheme } from './support/fixtures';

test.describe('fleet view', () => {
  test('a device registers and appears live without reload; counts follow', async ({ page }) => {
    await open(page, '/');
    await expect(page.locator('.nav-foot')).toContainText('live');
    const before = Number(await page.getByTestId('count-total').textContent());
    let reloaded = false;
    page.on('framenavigated', () => (reloaded = true));

    const device = newDevice();
    await device.register();
    await device.checkin();
    const row = page.locator(`[data-device-id="${device.mac}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText('online');
    await expect(page.getByTestId('count-total')).toHaveText(String(before + 1));
    expect(reloaded).toBe(false);

    // an edit made elsewhere (the API) shows in the row live, and patches rows in place:
    // every row element on screen survives the delta (nothing is rebuilt)
    await page.evaluate(() => document.querySelectorAll('.fleet-row').forEach((el) => el.setAttribute('data-before-delta', '1')));
    const rowsBefore = await page.locator('.fleet-row').count();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { name: 'Boiler room sensor' });
    await expect(row).toContainText('Boiler room sensor');
    expect(reloaded).toBe(false);
    await expect(page.locator('.fleet-row[data-before-delta="1"]')).toHaveCount(rowsBefore);
  });

  test('search filters on the server while typing; screenshots light and dark', async ({ page }) => {
    const names = ['Kitchen plug', 'Garage door', 'Garden pump', 'Attic fan', 'Cellar humidity'];
    for (const [i, name] of names.entries()) {
      const d = newDevice();
      await d.register();
      await d.checkin();
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name, location: i % 2 ? 'Upstairs' : 'Ground floor', tags: i % 2 ? ['climate'] : ['power'] });
    }
    await open(page, '/');
    await expect(page.locator('.fleet-row').filter({ hasText: 'Cellar humidity' })).toBeVisible();
    await snap(page, 'fleet-light');

    await page.getByTestId('fleet-search').locator('input').pressSequentially('gar', { delay: 40 });
    await expect(page.locator('.fleet-row')).toHaveCount(2);
    await expect(page.locator('.fleet-row').first()).toContainText(/Gar/);
    await page.getByTestId('fleet-search').locator('input').fill('');
    await expect(page.locator('.fleet-row').filter({ hasText: 'Attic fan' })).toBeVisible();

    await useColourScheme(page, 'dark');
    await snap(page, 'fleet-dark');
  });

  test('column choice and sort are remembered', async ({ page }) => {
    await open(page, '/');
    await expect(page.locator('.fleet-row').first()).toBeVisible();
    await page.getByRole('button', { name: 'Choose columns' }).click();
    await page.locator('.n-popover').getByText('Location', { exact: true }).click();
    await page.locator('.n-popover').getByText('SSID', { exact: true }).click();
    await page.getByRole('button', { name: 'Choose columns' }).click(); // closes the popover
    await expect(page.locator('.n-popover')).toHaveCount(0);
    await page.locator('th').filter({ hasText: 'Last seen' }).click(); // sort by last seen, ascending
    await page.locator('th').filter({ hasText: 'Last seen' }).click(); // … and descending
    await page.reload();
    await expect(page.locator('.fleet-row').first()).toBeVisible();
    const headers = await page.locator('th').allTextContents();
    expect(headers.join('|')).not.toContain('Location');
    expect(headers.join('|')).toContain('SSID');
    expect(await page.evaluate(() => localStorage.getItem('fleetdesk.fleet.sort'))).toBe('{"sort":"lastSeenAt","order":"desc"}');
    await expect(page.locator('th[data-col-key="lastSeenAt"] .n-data-table-sorter--desc')).toHaveCount(1);
    // restore the defaults for the screenshots of later tests
    await page.evaluate(() => { localStorage.removeItem('fleetdesk.fleet.columns'); localStorage.removeItem('fleetdesk.fleet.sort'); });
  });
});
