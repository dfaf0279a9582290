import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('pending devices', () => {
  test.afterEach(async () => {
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'open' });
  });

  test('with the approve policy a new device waits; the nav badge counts it; approving lets it in', async ({ page }) => {
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'approve' });
    await open(page, '/');
    const device = newDevice();
    const reply = await device.register();
    expect(reply.state).toBe('pending');

    const badge = page.getByTestId('pending-badge');
    await expect(badge).toBeVisible();
    await expect(badge).toContainText(/[1-9]/);
    // one word per meaning: approval and config sync never share "pending" in one row
    const fleetRow = page.locator(`[data-device-id="${device.mac}"]`);
    await expect(fleetRow).toContainText('awaiting approval');
    await expect(fleetRow.locator('[data-sync]')).toContainText(/syncing none → \d+/);
    expect(await fleetRow.textContent()).not.toMatch(/pending/i);

    await page.getByTestId('nav-pending').click();
    const row = page.getByTestId('pending-list').locator(`[data-device-id="${device.mac}"]`);
    await expect(row).toBeVisible();
    await snap(page, 'pending-light');
    await page.getByTestId(`approve-${device.mac}`).click();
    await expect(row).toHaveCount(0);

    const detail = await adminApi<{ state: string }>('GET', `/api/devices/${encodeURIComponent(device.mac)}`);
    expect(detail.state).toBe('active');
    const checkin = await device.checkin();
    expect(checkin.state).toBe('active');
  });
});
