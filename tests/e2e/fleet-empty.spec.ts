import { adminApi, expect, open, test } from './support/fixtures';

test.describe('empty fleet', () => {
  test('names the registration policy and copies the simulator command', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const before = await adminApi<{ registrationPolicy: string }>('GET', '/api/settings');
    // the specs share one app: start from an empty fleet (each spec registers its own devices)
    await adminApi('POST', '/api/devices/bulk', { target: { filter: {} }, op: { action: 'delete' } });
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'approve' });
    try {
      await open(page, '/');
      const policy = page.getByTestId('empty-policy');
      await expect(policy).toContainText('needs approval');
      await expect(policy.getByRole('link', { name: 'Approvals' })).toBeVisible();
      const copy = page.getByRole('button', { name: 'Copy the simulator command' });
      await copy.click();
      await expect(copy).toHaveText('Copied');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toMatch(/^npm run simulate -- --devices 5 --server http:\/\//);
    } finally {
      await adminApi('PATCH', '/api/settings', { registrationPolicy: before.registrationPolicy });
    }
  });
});
