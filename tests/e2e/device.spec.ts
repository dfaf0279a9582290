import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('device detail', () => {
  test('edit name and location; they persist', async ({ page }) => {
    const device = newDevice();
    await device.register();
    await device.checkin();
    await open(page, `/devices/${device.mac}`);
    await page.getByTestId('field-name').locator('input').fill('Greenhouse "north" sensor');
    await page.getByTestId('field-location').locator('input').fill('Greenhouse, bench 3');
    await page.getByTestId('device-save').click();
    await expect(page.getByTestId('device-title')).toHaveText('Greenhouse "north" sensor');

    await page.reload();
    await expect(page.getByTestId('device-title')).toHaveText('Greenhouse "north" sensor');
    await expect(page.getByTestId('field-location').locator('input')).toHaveValue('Greenhouse, bench 3');
    await snap(page, 'device-detail-light');
  });

  test('edit config → pending → device checks in with the new cfgsn → in sync; restore from history', async ({ page }) => {
    const profile = await adminApi<{ id: number }>('POST', '/api/profiles', { name: `climate-${Date.now()}`, defaults: { interval: 60, unit: 'C' } });
    const device = newDevice();
    await device.register();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { name: 'Cold store', profileId: profile.id });
    await device.checkin();
    await device.checkin();
    await open(page, `/devices/${device.mac}?tab=config`);
    const sync = page.getByTestId('config-sync');
    await expect(sync).toHaveAttribute('data-sync', 'in-sync');

    // add an override in the key/value table
    await page.getByTestId('config-add-key').click();
    await page.getByLabel('Key', { exact: true }).last().fill('threshold');
    await page.getByLabel('Type', { exact: true }).last().click();
    await page.locator('.n-base-select-option').filter({ hasText: /^number$/ }).click();
    await page.getByLabel('Value', { exact: true }).last().fill('4.5');
    await page.getByTestId('config-save').click();
    await expect(sync).toHaveAttribute('data-sync', 'pending');
    const effective = page.getByTestId('effective-config');
    await expect(effective.locator('[data-key="threshold"]')).toContainText('4.5');
    await expect(effective.locator('[data-key="threshold"]')).toContainText('device override');
    await expect(effective.locator('[data-key="unit"]')).toContainText('profile default');
    await snap(page, 'device-config-light');

    // the device picks it up, then reports the new cfgsn
    await device.checkin();
    expect(device.config).toMatchObject({ threshold: 4.5, unit: 'C' });
    await device.checkin();
    await expect(sync).toHaveAttribute('data-sync', 'in-sync');

    // raw JSON mode: change the value again
    await page.getByTestId('mode-raw').click();
    await page.getByTestId('config-raw').locator('textarea').fill('{ "threshold": 7 }');
    await page.getByTestId('config-save').click();
    await expect(effective.locator('[data-key="threshold"]')).toContainText('7');

    // history: restore the first edit
    await page.getByRole('tab', { name: /History/ }).click();
    const history = page.getByTestId('config-history');
    // newest first: the raw edit (7), then the table edit (4.5)
    await expect(history.locator('li').first()).toContainText('+0 ~1 −0');
    const revisions = await history.locator('li').count();
    await snap(page, 'config-history-light');
    const firstEdit = history.locator('li').nth(1);
    const revisionId = await firstEdit.getAttribute('data-revision');
    await firstEdit.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Restore', exact: true }).last().click();
    await expect(history.locator('li')).toHaveCount(revisions + 1);
    await expect(history.locator('li').first()).toContainText(`#${revisionId}`);
    const view = await adminApi<{ overrides: unknown }>('GET', `/api/devices/${encodeURIComponent(device.mac)}/config`);
    expect(view.overrides).toEqual({ threshold: 4.5 });

    await page.emulateMedia({ colorScheme: 'dark' });
    await snap(page, 'config-history-dark');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await snap(page, 'device-detail-dark');
  });

  test('commands: identify is queued, delivered and acked live; the event log shows it', async ({ page }) => {
    const device = newDevice();
    await device.register();
    await device.checkin();
    await open(page, `/devices/${device.mac}?tab=commands`);
    await page.getByTestId('cmd-identify').click();
    const row = page.getByTestId('command-list').locator('[data-command="identify"]');
    await expect(row).toContainText('queued');
    await device.checkin(); // delivered, runs it
    await device.checkin(); // acks it
    await expect(row).toContainText('acked');
    await page.getByRole('tab', { name: 'Events' }).click();
    await expect(page.getByTestId('event-list').locator('[data-kind="command_acked"]')).toBeVisible();
    await snap(page, 'device-events-light');
  });
});
