import { adminApi, expect, open, snap, test } from './support/fixtures';

test.describe('server panel and settings', () => {
  test.afterEach(async () => {
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'open', enrollmentKey: '' });
  });

  test('shows where devices reach the app; validates; saves the policy', async ({ page }) => {
    const info = await adminApi<{ device: { urls: string[]; port: number } }>('GET', '/api/server');
    await open(page, '/settings');
    const panel = page.getByTestId('server-panel');
    await expect(panel).toContainText(String(info.device.port));
    await expect(panel).toContainText('disabled'); // the e2e app runs with --no-mdns
    await snap(page, 'settings-light');

    const form = page.getByTestId('settings-form');
    await form.locator('.n-radio-button').filter({ hasText: 'Enrollment key' }).click();
    const key = form.locator('.n-form-item').filter({ hasText: 'Enrollment key' }).locator('input').last();
    await key.fill('k'.repeat(130));
    await expect(form).toContainText(/128/); // the schema's limit, shown at the field
    await expect(page.getByTestId('settings-save')).toBeDisabled();
    await form.getByRole('button', { name: 'Generate' }).click();
    await expect(key).toHaveValue(/^[0-9a-f]{24}$/);
    await page.getByTestId('settings-save').click();
    await expect(page.locator('.n-message').filter({ hasText: 'Settings saved' })).toBeVisible();
    const saved = await adminApi<{ registrationPolicy: string; enrollmentKey: string }>('GET', '/api/settings');
    expect(saved.registrationPolicy).toBe('key');
    expect(saved.enrollmentKey).toMatch(/^[0-9a-f]{24}$/);

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect(page.getByTestId('settings-form')).toBeVisible();
    await snap(page, 'settings-dark');
  });
});

test.describe('theme', () => {
  test('follows the OS: light and dark', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await open(page, '/');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const luminance = (rgb: string) => rgb.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
    expect(luminance(await background())).toBeGreaterThan(200);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(async () => luminance(await background())).toBeLessThan(50);
    expect(await page.evaluate(() => document.documentElement.style.colorScheme)).toBe('dark');
  });
});
