import type { Page } from '@playwright/test';
import { adminApi, appInfo, expect, newDevice, open, test } from './support/fixtures';
import { snapWidthsAndThemes } from './support/screens';

const enc = encodeURIComponent;

async function uploadImage(name: string, version: string): Promise<{ id: number }> {
  const { adminUrl, adminToken } = appInfo();
  const response = await fetch(`${adminUrl}/api/firmware?name=${name}&version=${version}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(Buffer.alloc(16 * 1024, Math.floor(Math.random() * 255))),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number };
}

/** Right edge of an element, and whether the page scrolls sideways. */
async function fitsWidth(page: Page, selector: string): Promise<{ right: number; overflow: number }> {
  return page.evaluate((s) => {
    const el = document.querySelector(s)!;
    const main = document.querySelector('main')!;
    return { right: el.getBoundingClientRect().right, overflow: main.scrollWidth - main.clientWidth };
  }, selector);
}

test.describe('per-device interval, profile description, unassign, 1024 px', () => {
  test('check-in interval and profile description are editable', async ({ page }) => {
    const stamp = Date.now().toString(36);
    const d = newDevice();
    await d.register();
    await open(page, `/devices/${enc(d.mac)}`);
    const interval = page.getByTestId('checkin-interval');
    await interval.locator('input').fill('3');
    await expect(interval).toContainText('Between 5 s and 86400 s');
    await expect(page.getByTestId('checkin-interval-save')).toBeDisabled();
    await interval.locator('input').fill('45');
    await page.getByTestId('checkin-interval-save').click();
    await expect.poll(async () => (await adminApi<{ checkinInterval: number }>('GET', `/api/devices/${enc(d.mac)}`)).checkinInterval).toBe(45);

    const profile = await adminApi<{ id: number }>('POST', '/api/profiles', { name: `desc-${stamp}` });
    await open(page, `/profiles/${profile.id}`);
    await page.getByLabel('Profile description').fill('Soil probes in the greenhouse');
    await page.getByTestId('profile-description-save').click();
    await expect.poll(async () => (await adminApi<{ description: string }>('GET', `/api/profiles/${profile.id}`)).description)
      .toBe('Soil probes in the greenhouse');
  });

  test('firmware page fits 1024 px and unassigns; a long name keeps the device header on one line', async ({ page }) => {
    test.setTimeout(180_000); // screenshots on a shared, loaded machine
    const stamp = Date.now().toString(36);
    const d = newDevice();
    await d.register();
    const longName = `Greenhouse north wall soil moisture probe number seventeen near the rain barrel ${stamp}`;
    await adminApi('PATCH', `/api/devices/${enc(d.mac)}`, { name: longName, location: 'Greenhouse, north wall, shelf 3' });
    const image = await uploadImage(`a-very-long-firmware-image-name-for-the-greenhouse-${stamp}`, '2.10.3-rc.1');
    await adminApi('POST', `/api/firmware/${image.id}/assign`, { deviceIds: [d.mac] });

    await page.setViewportSize({ width: 1024, height: 800 });
    await open(page, '/firmware');
    const row = page.locator(`[data-firmware^="a-very-long-firmware-image-name-for-the-greenhouse-${stamp}"]`);
    await row.getByTestId('rollout-toggle').click();
    const rollout = page.getByTestId(`rollout-${image.id}`);
    await expect(rollout.locator(`[data-device="${d.mac}"]`)).toBeVisible();
    await expect(row.getByRole('button', { name: 'Delete' })).toBeVisible();
    const fit = await fitsWidth(page, `[data-firmware^="a-very-long"] tr:first-child td:last-child`);
    expect(fit.right).toBeLessThanOrEqual(1024);
    expect(fit.overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1440, height: 900 });
    await snapWidthsAndThemes(page, 'firmware-page');
    await page.setViewportSize({ width: 1024, height: 800 });

    await rollout.locator(`[data-device="${d.mac}"]`).getByTestId('unassign').click();
    await expect(rollout.locator(`[data-device="${d.mac}"]`)).toHaveCount(0);
    const detail = await adminApi<{ assignedFirmware: unknown }>('GET', `/api/devices/${enc(d.mac)}`);
    expect(detail.assignedFirmware).toBeNull();

    await open(page, `/devices/${enc(d.mac)}`);
    const title = page.getByTestId('device-title');
    await expect(title).toHaveText(longName);
    const box = await page.locator('header.head').boundingBox();
    const line = await title.boundingBox();
    expect(box!.height).toBeLessThan(line!.height * 1.6); // one line, not three
  });
});
