import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('claims and limits', () => {
  test.afterEach(async () => {
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'open', fleetCap: 50_000 });
  });

  test('a claim on an existing device shows what is claimed; approving it hands the device over', async ({ page }) => {
    const original = newDevice();
    await original.register();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(original.mac)}`, { name: 'Boiler room', location: 'Cellar' });
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'approve' });
    const claimant = newDevice({ mac: original.mac });
    expect((await claimant.register()).state).toBe('pending');

    await open(page, '/pending');
    const row = page.getByTestId('claim-requests').locator(`[data-claim="${original.mac}"]`);
    await expect(row).toContainText('Boiler room');
    await expect(row).toContainText('Cellar');
    await expect(page.getByTestId('pending-badge')).toContainText(/[1-9]/);
    await snap(page, 'pending-claim');
    await page.getByTestId(`approve-claim-${original.mac}`).click();
    await expect(page.getByRole('dialog')).toContainText('stops working');
    await page.getByRole('button', { name: 'Approve claim' }).last().click();
    await expect(row).toHaveCount(0);
    expect((await claimant.checkin()).state).toBe('active');
  });

  test('the fleet cap refuses a new device and the app shows a banner', async ({ page }) => {
    await open(page, '/');
    const { fleet } = await adminApi<{ fleet: { devices: number } }>('GET', '/api/limits');
    await adminApi('PATCH', '/api/settings', { fleetCap: fleet.devices });
    await expect(newDevice().register()).rejects.toMatchObject({ status: 503 });
    const banner = page.getByTestId('limit-banner-fleet_cap');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('fleet is full');
    await snap(page, 'limits-banner');
  });
});
