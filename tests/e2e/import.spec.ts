import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('device import', () => {
  // several round trips through the UI and the simulator: more than the default minute on a loaded machine
  test.describe.configure({ timeout: 150_000 });

  test.afterEach(async () => {
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'open' });
  });

  test('CSV with a bad row: preview shows it, import pre-registers, the device is admitted under approve with its name', async ({ page }) => {
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'approve' });
    const device = newDevice();
    const other = newDevice();
    const csv = [
      'mac,name,location,tags,profile',
      `${device.mac},Boiler room sensor,Basement,heating;sensors,`,
      '12:34:zz:!,Broken row,,,',
      `${other.mac},"Attic fan, east",Attic,,`,
    ].join('\n');

    await open(page, '/');
    await page.getByTestId('fleet-import').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('import-file').setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(dialog.getByTestId('import-summary')).toHaveText('2 to pre-register · 0 to update · 1 skipped');
    const bad = dialog.locator('tr[data-row="2"]');
    await expect(bad).toHaveAttribute('data-outcome', 'skip');
    await expect(bad).toContainText('"12:34:zz:!" is not a MAC address');
    await snap(page, 'import-preview');
    await dialog.getByTestId('import-run').click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator('.n-message').filter({ hasText: '2 pre-registered' })).toBeVisible();

    await page.getByTestId('nav-pending').click();
    const list = page.getByTestId('preregistered-list');
    await expect(list.locator(`[data-device-id="${device.mac}"]`)).toContainText('Boiler room sensor');
    await expect(list.locator(`[data-device-id="${other.mac}"]`)).toContainText('Attic fan, east');
    await snap(page, 'preregistered');

    const reply = await device.register();
    expect(reply.state).toBe('active');
    await expect(list.locator(`[data-device-id="${device.mac}"]`)).toHaveCount(0);
    const detail = await adminApi<{ name: string; location: string; state: string; tags: string[] }>('GET', `/api/devices/${encodeURIComponent(device.mac)}`);
    expect(detail).toMatchObject({ name: 'Boiler room sensor', location: 'Basement', state: 'active', tags: ['heating', 'sensors'] });
    expect((await device.checkin()).state).toBe('active');
    await page.getByTestId('nav-fleet').click();
    await expect(page.locator(`[data-device-id="${device.mac}"]`)).toContainText('Boiler room sensor');
  });
});
