import { adminApi, appInfo, expect, newDevice, open, test } from './support/fixtures';

const enc = encodeURIComponent;

test.describe('messages, favicon and scroll', () => {
  test('no 404 on load (favicon); human validation text; inline JSON error; capitalised duplicate-name toast', async ({ page }) => {
    const missing: string[] = [];
    page.on('response', (r) => { if (r.status() === 404) missing.push(r.url()); });
    await open(page, '/');
    await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', /favicon\.svg$/);
    expect((await page.request.get(`${appInfo().adminUrl}/favicon.svg`)).status()).toBe(200);
    expect(missing).toEqual([]);

    const d = newDevice();
    await d.register();
    await open(page, `/devices/${enc(d.mac)}`);
    await page.getByTestId('field-name').locator('input').fill('x'.repeat(129));
    await expect(page.getByTestId('device-form')).toContainText('At most 128 characters.');
    await expect(page.getByTestId('device-form')).not.toContainText('Too big');

    await page.getByRole('tab', { name: 'Commands' }).click();
    await page.getByLabel('Custom command name').fill('blink');
    await page.getByLabel('Custom command arguments (JSON)').fill('{bad');
    await expect(page.getByTestId('cmd-args-error')).toContainText('Not valid JSON');
    await expect(page.getByTestId('cmd-send')).toBeDisabled();
    await page.getByLabel('Custom command arguments (JSON)').fill('{"times": 3}');
    await expect(page.getByTestId('cmd-args-error')).toHaveCount(0);

    const name = `dup-${Date.now().toString(36)}`;
    await adminApi('POST', '/api/profiles', { name });
    await open(page, '/profiles');
    await page.getByTestId('new-profile-name').locator('input').fill(name);
    await page.getByTestId('create-profile').click();
    await expect(page.locator('.n-message').filter({ hasText: `A profile named “${name}” already exists` })).toBeVisible();
  });

  test('a new sort starts at the top of the list', async ({ page }) => {
    const stamp = Date.now().toString(36);
    for (let i = 0; i < 40; i++) {
      const d = newDevice();
      await d.register();
      await adminApi('PATCH', `/api/devices/${enc(d.mac)}`, { name: `sc-${stamp}-${String(i).padStart(2, '0')}` });
    }
    await open(page, '/');
    await page.getByTestId('fleet-search').locator('input').fill(`sc-${stamp}`);
    await expect(page.getByTestId('fleet-table')).toContainText(`sc-${stamp}-00`);
    const scroller = page.locator('[data-testid="fleet-table"] .v-vl');
    await scroller.evaluate((el) => el.scrollTo(0, 800));
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBe(0);
    await expect(page.locator('.fleet-row').first()).toContainText(`sc-${stamp}-39`);
  });
});
