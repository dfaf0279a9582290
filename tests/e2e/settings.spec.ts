import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('server panel and settings', () => {
  test.afterEach(async () => {
    await adminApi('PATCH', '/api/settings', {
      registrationPolicy: 'open', enrollmentKey: '', defaultCheckinInterval: 30, mdnsName: '',
      thresholds: { lateFactor: 1.5, offlineFactor: 3, graceSeconds: 10 },
    });
  });

  test('refuses nonsense at the field instead of bending it; confirms a change that moves devices, saying how many', async ({ page }) => {
    test.setTimeout(120_000); // a dozen fields and a dry run: about a minute on the shared 2-core machine
    const device = newDevice();
    await device.register();
    await device.checkin();
    await open(page, '/settings');
    const form = page.getByTestId('settings-form');
    const item = (label: string) => form.locator('.n-form-item').filter({ hasText: label });
    const save = page.getByTestId('settings-save');
    const enter = async (input: import('@playwright/test').Locator, value: string) => {
      await input.fill(value);
      await input.blur();
    };

    const interval = item('Default check-in interval').locator('input');
    await enter(interval, '2');
    await expect(interval).toHaveValue('2'); // not silently 5
    await expect(item('Default check-in interval')).toContainText('at least 5 s');
    await expect(save).toBeDisabled();
    await enter(interval, '30');

    const [offline, grace] = [item('Offline after').locator('input').nth(0), item('Offline after').locator('input').nth(1)];
    await enter(grace, '-4');
    await expect(grace).toHaveValue('-4'); // not silently 0
    await expect(item('Offline after')).toContainText('cannot be negative');
    await enter(grace, '10');
    await enter(item('Late after').locator('input'), '3');
    await enter(offline, '2');
    await expect(item('Offline after')).toContainText('more than the late factor');
    await expect(save).toBeDisabled();
    await enter(item('Late after').locator('input'), '1.5');
    await enter(offline, '3');
    await expect(item('Offline after')).not.toContainText('more than the late factor');

    await form.locator('.n-radio-button').filter({ hasText: 'Enrollment key' }).click();
    await expect(form).toContainText('set a key');
    await expect(save).toBeDisabled();
    await form.locator('.n-radio-button').filter({ hasText: 'Open' }).click();

    const port = page.getByTestId('device-port').locator('input');
    const portBefore = await port.inputValue();
    await enter(port, '80');
    await expect(item('Device port')).toContainText('1024 or above');
    await expect(save).toBeDisabled();
    await enter(port, portBefore);

    const name = 'Gewächshaus-Steuerung für die Bewässerung der südlichen Beete';
    await enter(form.getByLabel('mDNS name'), name);
    await expect(form.getByLabel('mDNS name')).toHaveValue(name); // not cut mid-word
    await expect(item('mDNS name')).toContainText('at most 63 bytes');
    await enter(form.getByLabel('mDNS name'), '');

    // 5 s interval, late at once, offline at 1.01 × 5 s without grace: a fleet silent > 5 s goes offline
    await enter(interval, '5');
    await enter(item('Late after').locator('input'), '1');
    await enter(offline, '1.01');
    await enter(grace, '0');
    const body = { defaultCheckinInterval: 5, thresholds: { lateFactor: 1, offlineFactor: 1.01, graceSeconds: 0 } };
    await expect.poll(async () => (await adminApi<{ changes: number }>('POST', '/api/settings/preview', body)).changes, { timeout: 20_000 }).toBeGreaterThan(0);
    await save.click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText(/\d+ devices? will change status now/);
    await expect(dialog).toContainText('→ offline');
    await snap(page, 'settings-confirm-light');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await adminApi<{ defaultCheckinInterval: number }>('GET', '/api/settings')).defaultCheckinInterval).toBe(30);
    await save.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save and apply' }).click();
    await expect(page.locator('.n-message').filter({ hasText: 'Settings saved' })).toBeVisible();
    expect((await adminApi<{ defaultCheckinInterval: number }>('GET', '/api/settings')).defaultCheckinInterval).toBe(5);
    await expect.poll(async () => (await adminApi<{ status: string }>('GET', `/api/devices/${encodeURIComponent(device.mac)}`)).status).toBe('offline');
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
