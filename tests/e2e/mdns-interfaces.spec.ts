/**
 * Settings → "Advertise on": the interfaces are listed although the e2e app runs with --no-mdns;
 * "Only these" needs at least one; the choice saves and applies without a restart.
 */
import { adminApi, expect, open, snap, test } from './support/fixtures';

interface ServerInfo { mdns: { enabled: boolean; available: { name: string; address: string; advertisedByDefault: boolean }[] }; restartNeeded: string[] }

test.describe('mDNS interface choice', () => {
  test.afterEach(async () => {
    await adminApi('PATCH', '/api/settings', { mdnsInterfaces: [] });
  });

  test('lists the interfaces, validates, saves a choice live and goes back to all', async ({ page }) => {
    const info = await adminApi<ServerInfo>('GET', '/api/server');
    expect(info.mdns.enabled).toBe(false);
    expect(info.mdns.available.length).toBeGreaterThan(0);
    const first = info.mdns.available[0]!;

    await open(page, '/settings');
    await expect(page.getByTestId('advertised-on')).toContainText('nowhere: mDNS is off');
    const item = page.getByTestId('mdns-interfaces');
    await expect(item.getByRole('radio', { name: 'All LAN interfaces (default)' })).toBeChecked();
    const defaults = info.mdns.available.filter((a) => a.advertisedByDefault).map((a) => a.name);
    if (defaults.length) await expect(item).toContainText(`now: ${[...new Set(defaults)].join(', ')}`);

    await item.getByText('Only these').click();
    await expect(item).toContainText('pick at least one interface');
    await expect(page.getByTestId('settings-save')).toBeDisabled();

    await page.getByTestId('mdns-interface-select').click();
    await page.locator('.n-base-select-option').filter({ hasText: `${first.name} — ${first.address}` }).click();
    await page.keyboard.press('Escape');
    await expect(item).toContainText('only these interfaces; applies at once');
    await snap(page, 'settings-interfaces-light');
    await page.getByTestId('settings-save').click();
    await expect(page.locator('.n-message').filter({ hasText: 'Settings saved' })).toBeVisible();
    expect((await adminApi<{ mdnsInterfaces: string[] }>('GET', '/api/settings')).mdnsInterfaces).toEqual([first.name]);
    expect((await adminApi<ServerInfo>('GET', '/api/server')).restartNeeded).toEqual([]);

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect(item.getByRole('radio', { name: 'Only these' })).toBeChecked();
    await expect(page.getByTestId('mdns-interface-select')).toContainText(first.name);
    await snap(page, 'settings-interfaces-dark');

    await item.getByText('All LAN interfaces (default)').click();
    await page.getByTestId('settings-save').click();
    await expect.poll(async () => (await adminApi<{ mdnsInterfaces: string[] }>('GET', '/api/settings')).mdnsInterfaces).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
