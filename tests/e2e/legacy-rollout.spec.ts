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
