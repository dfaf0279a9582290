import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('keyboard and profiles', () => {
  test('the fleet table works from the keyboard: arrows move, Enter opens', async ({ page }) => {
    const stamp = Date.now().toString(36);
    for (const i of [0, 1]) {
      const d = newDevice();
      await d.register();
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name: `kb-${stamp}-${i}` });
    }
    await open(page, '/');
    await page.getByTestId('fleet-search').locator('input').fill(`kb-${stamp}`);
    const rows = page.locator('.fleet-row');
    await expect(rows).toHaveCount(2);
    // sort from the keyboard: the header is a button
    await page.getByRole('button', { name: 'Sort by Name' }).focus();
    await page.keyboard.press('Enter'); // name is the default ascending sort: Enter flips it
    await expect(rows.first()).toContainText(`kb-${stamp}-1`);
    await page.keyboard.press('Enter');
    await expect(rows.first()).toContainText(`kb-${stamp}-0`);
    // the table is one Tab stop: no row is in the Tab order, the grid points at the active row
    await expect(page.locator('.fleet-row[tabindex]')).toHaveCount(0);
    const grid = page.getByTestId('fleet-grid');
    await grid.focus();
    await expect(grid).toHaveAttribute('aria-activedescendant', /^fleet-row-/);
    await expect(rows.nth(0)).toHaveClass(/active/);
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(1)).toHaveClass(/active/);
    await page.keyboard.press('Space');
    await expect(page.getByTestId('selected-count')).toHaveText('1');
    await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
    // Tab leaves the table at once, whatever its length
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="fleet-grid"]')))).toBe(false);
    await grid.focus();
    await expect(rows.nth(1)).toHaveClass(/active/); // it remembers the row
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('device-title')).toHaveText(`kb-${stamp}-1`);
    // tabs: arrow keys move between sections
    await page.getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Config' })).toHaveAttribute('aria-selected', 'true');
  });

  test('the columns popover closes on Escape and gives the focus back', async ({ page }) => {
    await open(page, '/');
    const trigger = page.getByRole('button', { name: 'Choose columns' });
    await trigger.focus();
    await page.keyboard.press('Enter');
    const popover = page.locator('.n-popover').filter({ hasText: 'Registered' });
    await expect(popover).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(popover).toBeHidden();
    await expect(trigger).toBeFocused();
  });

  test('profiles: create, rename, delete saying what happens to its devices', async ({ page }) => {
    const stamp = Date.now().toString(36);
    await open(page, '/profiles');
    await page.getByTestId('new-profile-name').locator('input').fill(`lab-${stamp}`);
    await page.getByTestId('create-profile').click();
    const row = page.locator(`[data-profile="lab-${stamp}"]`);
    await expect(row).toBeVisible();

    const profiles = await adminApi<{ id: number; name: string }[]>('GET', '/api/profiles');
    const created = profiles.find((p) => p.name === `lab-${stamp}`)!;
    const d = newDevice();
    await d.register();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { profileId: created.id });

    await row.getByRole('button', { name: 'Rename' }).click();
    const input = page.getByLabel('Profile name', { exact: true });
    await input.fill(`bench-${stamp}`);
    await input.press('Enter');
    const renamed = page.locator(`[data-profile="bench-${stamp}"]`);
    await expect(renamed).toBeVisible();
    await expect(renamed).toContainText('1'); // its device
    await snap(page, 'profiles-light');
    await renamed.getByRole('button', { name: 'Edit defaults' }).click();
    await page.getByTestId('config-add-key').click();
    await page.getByLabel('Key', { exact: true }).last().fill('sample_rate');
    await page.getByLabel('Value', { exact: true }).last().fill('fast');
    await page.getByTestId('config-save').click();
    await expect(page.locator('.n-message').filter({ hasText: 'Saved defaults' })).toBeVisible();
    const view = await adminApi<{ effective: Record<string, unknown> }>('GET', `/api/devices/${encodeURIComponent(d.mac)}/config`);
    expect(view.effective).toEqual({ sample_rate: 'fast' });
    await snap(page, 'profile-light');
    await page.getByTestId('nav-profiles').click();

    await renamed.getByRole('button', { name: 'Delete' }).click();
    await expect(page.locator('.n-dialog')).toContainText('1 device uses it');
    await page.locator('.n-dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(renamed).toHaveCount(0);
    const detail = await adminApi<{ profileId: number | null }>('GET', `/api/devices/${encodeURIComponent(d.mac)}`);
    expect(detail.profileId).toBeNull();
  });
});
