import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

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

    // an edit made elsewhere (the API) shows in the row live
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { name: 'Boiler room sensor' });
    await expect(row).toContainText('Boiler room sensor');
    expect(reloaded).toBe(false);
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

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(200);
    await snap(page, 'fleet-dark');
  });
});
