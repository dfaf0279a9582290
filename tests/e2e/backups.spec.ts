import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('backups', () => {
  // several round trips through the UI and the simulator: more than the default minute on a loaded machine
  test.describe.configure({ timeout: 150_000 });

  test('back up now, see what the backup holds, restore it after confirming', async ({ page }) => {
    const device = newDevice();
    await device.register();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { name: 'Backed-up pump' });
    await open(page, '/settings');
    const panel = page.getByTestId('backups-panel');
    await expect(panel).toBeVisible();
    await page.getByTestId('backup-now').click();
    await expect(panel).toContainText('Backup taken and verified');
    const first = page.getByTestId('backup-list').locator('tbody tr').first();
    await expect(first).toContainText('verified');
    await expect(first).toContainText(/[1-9]\d* devices/);
    await panel.scrollIntoViewIfNeeded();
    await snap(page, 'backups-panel');

    // a change after the backup, undone by the restore
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { name: 'Renamed after the backup' });
    await first.getByRole('button', { name: 'Restore…' }).click();
    const dialog = page.getByTestId('restore-dialog');
    await expect(dialog.getByTestId('restore-contents')).toContainText('devices');
    await snap(page, 'restore-confirm');
    await dialog.getByTestId('restore-confirm').click();
    await expect(dialog.getByTestId('restore-done')).toBeVisible();
    await snap(page, 'restore-done');
    await dialog.getByTestId('restore-reload').click();
    await expect(page.getByTestId('backups-panel')).toBeVisible();
    const detail = await adminApi<{ name: string }>('GET', `/api/devices/${encodeURIComponent(device.mac)}`);
    expect(detail.name).toBe('Backed-up pump');
    const checkin = await device.checkin();
    expect(checkin.state).toBe('active');
    await expect(page.getByTestId('backup-list')).toContainText('before a restore');
  });
});
