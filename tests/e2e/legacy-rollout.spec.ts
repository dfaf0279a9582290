/** Legacy-protocol devices cannot take firmware updates: the rollout says so, and direct assignment is refused. */
import { adminApi, appInfo, expect, newDevice, open, test } from './support/fixtures';

test('a legacy device in a rollout reads "cannot update: legacy protocol", not "waiting for check-in"', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const profile = await adminApi<{ id: number }>('POST', '/api/profiles', { name: `legacy-${stamp}` });
  const old = newDevice({ legacy: true });
  const current = newDevice({ fwVersion: '1.0.0' });
  for (const device of [old, current]) {
    await device.register();
    await device.checkin();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { profileId: profile.id });
  }
  const { adminUrl, adminToken } = appInfo();
  const response = await fetch(`${adminUrl}/api/firmware?name=legacy-${stamp}&version=2.0.0`, {
    method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(2048),
  });
  const image = (await response.json()) as { id: number };
  await adminApi('POST', `/api/firmware/${image.id}/assign`, { profileId: profile.id });
  await old.checkin(); // it keeps checking in: the old UI still said "waiting for check-in"

  // named directly, a legacy device is refused with the reason
  await expect(adminApi('POST', `/api/firmware/${image.id}/assign`, { deviceIds: [old.mac] })).rejects.toThrow(/409.*cannot update: legacy protocol/);

  await open(page, '/firmware');
  await page.locator(`[data-firmware="legacy-${stamp}@2.0.0"]`).getByTestId('rollout-toggle').click();
  const rollout = page.getByTestId(`rollout-${image.id}`);
  await expect(rollout.locator(`[data-device="${old.mac}"]`).getByTestId('rollout-state')).toHaveText('cannot update: legacy protocol');
  await expect(rollout.locator(`[data-device="${current.mac}"]`).getByTestId('rollout-state')).toHaveText('waiting for check-in');
  await expect(rollout.getByTestId('rollout-summary')).toContainText('1 cannot update: legacy protocol');
});

test('assigning an image to a mix of devices names the legacy ones it skipped', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const old = newDevice({ legacy: true });
  const current = newDevice({ fwVersion: '1.0.0' });
  for (const [i, device] of [old, current].entries()) {
    await device.register();
    await device.checkin();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { name: `mix-${stamp}-${i}` });
  }
  const { adminUrl, adminToken } = appInfo();
  await fetch(`${adminUrl}/api/firmware?name=mix-${stamp}&version=2.0.0`, {
    method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(2048),
  });

  await open(page, '/firmware');
  await page.locator(`[data-firmware="mix-${stamp}@2.0.0"]`).getByRole('button', { name: 'Assign…' }).click();
  const dialog = page.locator('.n-modal');
  await dialog.getByText('To devices').click();
  const picker = dialog.locator('.n-base-selection');
  await picker.click();
  await page.keyboard.type(`mix-${stamp}`);
  await expect(page.locator('.n-base-select-option').filter({ hasText: `mix-${stamp}-0` })).toContainText('legacy: cannot update');
  await page.locator('.n-base-select-option').filter({ hasText: `mix-${stamp}-0` }).click();
  await page.locator('.n-base-select-option').filter({ hasText: `mix-${stamp}-1` }).click();
  await dialog.locator('.n-card-header').click(); // closes the option menu
  await page.getByTestId('assign-apply').click();
  await expect(page.locator('.n-message').filter({ hasText: 'assigned to' })).toContainText('assigned to 1 device');
  const skipped = page.getByTestId('assign-skipped');
  await expect(skipped).toContainText('Skipped 1 legacy-protocol device');
  await expect(skipped).toContainText(`mix-${stamp}-0 · ${old.mac}`);
  await page.getByTestId('assign-close').click();
  await expect(dialog).toHaveCount(0);
});
