import { createHash } from 'node:crypto';
import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('firmware', () => {
  test('upload with a progress bar, list it, assign it to a profile; the device updates', async ({ page }) => {
    const stamp = Date.now().toString(36);
    const profile = await adminApi<{ id: number; name: string }>('POST', '/api/profiles', { name: `ota-${stamp}` });
    const device = newDevice();
    await device.register();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { name: 'OTA bench unit', profileId: profile.id });
    await device.checkin();

    const image = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < image.length; i++) image[i] = (i * 7 + 13) % 256;
    const md5 = createHash('md5').update(image).digest('hex');

    await open(page, '/firmware');
    await page.getByTestId('firmware-file').setInputFiles({ name: 'sensor-node-2.0.1.bin', mimeType: 'application/octet-stream', buffer: image });
    await expect(page.getByTestId('firmware-name').locator('input')).toHaveValue('sensor-node');
    await expect(page.getByTestId('firmware-version').locator('input')).toHaveValue('2.0.1');

    // loopback is too fast to see progress: throttle the upload to ~256 KiB/s through the DevTools protocol
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    await page.getByTestId('firmware-upload').click();
    const progress = page.getByTestId('upload-progress');
    await expect(progress).toBeVisible();
    await page.waitForFunction(() => {
      const bar = document.querySelector('[data-testid="upload-progress"]');
      const value = Number(bar?.getAttribute('aria-valuenow'));
      return value > 0 && value < 100;
    });
    await snap(page, 'firmware-uploading-light');
    const row = page.locator('[data-firmware="sensor-node@2.0.1"]');
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(progress).toHaveCount(0);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await expect(row).toContainText(md5);
    await expect(row).toContainText('1.00 MiB');
    await snap(page, 'firmware-light');

    await row.getByRole('button', { name: 'Assign…' }).click();
    await page.locator('.n-modal').locator('.n-base-selection').click();
    await page.locator('.n-base-select-option').filter({ hasText: profile.name }).click();
    await page.getByTestId('assign-apply').click();
    await expect(page.locator('.n-message').filter({ hasText: 'assigned to' })).toContainText('assigned to 1 device');

    // the device is offered the image, downloads it, checks the MD5 and reports the new version
    await device.checkin();
    await device.checkin();
    expect(device.fwVersion).toBe('2.0.1');
    await open(page, `/devices/${device.mac}`);
    await expect(page.getByTestId('device-facts')).toContainText('2.0.1');
    await expect(page.getByTestId('assigned-firmware')).toContainText('sensor-node 2.0.1');

    await page.emulateMedia({ colorScheme: 'dark' });
    await open(page, '/firmware');
    await expect(row).toBeVisible();
    await snap(page, 'firmware-dark');
  });
});
