/**
 * The Firmware page shows each image's rollout per device, live: simulated devices take (or
 * reject) the update over real HTTP while the page is open, and the states move without a reload.
 */
import { adminApi, appInfo, expect, newDevice, open, snap, test, useColourScheme } from './support/fixtures';

async function uploadImage(name: string, version: string, bytes: Buffer): Promise<{ id: number }> {
  const { adminUrl, adminToken } = appInfo();
  const response = await fetch(`${adminUrl}/api/firmware?name=${name}&version=${version}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number };
}

test.describe('firmware rollout per device', () => {
  test('expands an image: offered → updated live, a failure with its message', async ({ page }) => {
    const stamp = Date.now().toString(36);
    const profile = await adminApi<{ id: number; name: string }>('POST', '/api/profiles', { name: `rollout-${stamp}` });
    const taker = newDevice({ fwVersion: '1.4.0' });
    const rejecter = newDevice({ fwVersion: '1.4.0', tamperFirmware: (image) => Buffer.from(image.map((b, i) => (i === 0 ? b ^ 0xff : b))) });
    for (const [device, name] of [[taker, 'Greenhouse probe'], [rejecter, 'Cellar probe']] as const) {
      await device.register();
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { name, profileId: profile.id });
    }
    const image = await uploadImage(`probe-${stamp}`, '1.5.0', Buffer.alloc(32 * 1024, 7));
    await adminApi('POST', `/api/firmware/${image.id}/assign`, { profileId: profile.id });

    await open(page, '/firmware');
    const row = page.locator(`[data-firmware="probe-${stamp}@1.5.0"]`);
    const toggle = row.getByTestId('rollout-toggle');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const rollout = page.getByTestId(`rollout-${image.id}`);
    const stateOf = (mac: string) => rollout.locator(`[data-device="${mac}"]`).getByTestId('rollout-state');
    await expect(stateOf(taker.mac)).toContainText('waiting for check-in');
    await expect(rollout.locator(`[data-device="${taker.mac}"]`)).toContainText(`via profile ${profile.name}`);
    await expect(rollout.getByTestId('rollout-summary')).toContainText('2 devices · 2 waiting for check-in');

    // the first check-in takes the offer and downloads the image; the page follows without a reload
    await taker.checkin();
    await expect(stateOf(taker.mac)).toContainText(/offered|downloading/);
    await taker.checkin(); // reports the new version
    expect(taker.fwVersion).toBe('1.5.0');
    await expect(stateOf(taker.mac)).toContainText('updated');
    await expect(rollout.locator(`[data-device="${taker.mac}"]`)).toContainText('1.5.0');

    await rejecter.checkin(); // downloads a corrupted image (one byte flipped): the MD5 check fails
    await rejecter.checkin(); // reports the failure
    await expect(stateOf(rejecter.mac)).toContainText('failed');
    await expect(stateOf(rejecter.mac)).toContainText(/md5/i);
    await expect(rollout.getByTestId('rollout-summary')).toContainText('1 updated · 1 failed');
    await snap(page, 'firmware-rollout-light');

    await useColourScheme(page, 'dark');
    await snap(page, 'firmware-rollout-dark');
    await useColourScheme(page, 'light');

    await toggle.click(); // collapsed: the panel (and its live refresh) goes away
    await expect(rollout).toHaveCount(0);
  });
});
