import { adminApi, expect, newDevice, open, test } from './support/fixtures';
import { snapWidthsAndThemes } from './support/screens';

type ConfigView = { overrides: Record<string, unknown> };

test.describe('bulk config key', () => {
  test('previews value and type, nests dotted keys, refuses broken JSON, and undoes', async ({ page }) => {
    test.setTimeout(180_000); // four screenshots on a shared, loaded machine
    const stamp = Date.now().toString(36);
    const devices = [newDevice(), newDevice()];
    for (const [i, d] of devices.entries()) {
      await d.register();
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name: `cfg-${stamp}-${i}` });
    }
    const configOf = (i: number) => adminApi<ConfigView>('GET', `/api/devices/${encodeURIComponent(devices[i]!.mac)}/config`);
    await adminApi('PUT', `/api/devices/${encodeURIComponent(devices[0]!.mac)}/config`, { overrides: { mqtt: { host: 'broker' } } });

    await open(page, '/');
    await page.getByTestId('fleet-search').locator('input').fill(`cfg-${stamp}`);
    const rows = page.locator('.fleet-row');
    await expect(rows).toHaveCount(2);
    await page.getByLabel('Select all loaded devices').check();
    await page.getByTestId('bulk-more').click();
    await page.getByText('Set config key…').click();
    const dialog = page.getByTestId('bulk-dialog');
    await dialog.getByLabel('Config key').fill('mqtt.port');
    const value = dialog.getByLabel('Config value');
    await value.fill('{bad');
    await expect(dialog.getByTestId('bulk-value-error')).toContainText('looks like JSON but does not parse');
    await expect(dialog.getByTestId('bulk-apply')).toBeDisabled();
    await value.fill('1884');
    await expect(dialog.getByTestId('bulk-preview-value')).toHaveText('1884');
    await expect(dialog.getByTestId('bulk-preview-type')).toHaveText('number');
    await expect(dialog.getByTestId('bulk-preview')).toContainText('port inside mqtt');
    await snapWidthsAndThemes(page, 'bulk-preview');
    await dialog.getByTestId('bulk-apply').click();
    await expect(dialog).toHaveCount(0);

    expect((await configOf(0)).overrides).toEqual({ mqtt: { host: 'broker', port: 1884 } });
    expect((await configOf(1)).overrides).toEqual({ mqtt: { port: 1884 } });

    await page.getByTestId('undo-button').click();
    await expect(page.locator('.n-message').filter({ hasText: 'Undone on 2 devices' })).toBeVisible();
    expect((await configOf(0)).overrides).toEqual({ mqtt: { host: 'broker' } });
    expect((await configOf(1)).overrides).toEqual({});
  });
});
