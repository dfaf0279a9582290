import { adminApi, expect, newDevice, open, test } from './support/fixtures';

test('search syntax: tag: filters on the server, an unknown prefix says so', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const devices = [newDevice(), newDevice()];
  for (const [i, d] of devices.entries()) {
    await d.register();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name: `ss-${stamp}-${i}`, tags: i === 0 ? [`bat-${stamp}`] : [] });
  }
  await open(page, '/');
  const search = page.getByTestId('fleet-search').locator('input');
  await search.fill(`tag:bat-${stamp}`);
  await expect(page.locator('.fleet-row')).toHaveCount(1);
  await expect(page.locator('.fleet-row').first()).toContainText(`ss-${stamp}-0`);
  await search.fill(`colour:red ss-${stamp}`);
  await expect(page.getByTestId('search-error')).toContainText('Unknown filter “colour:”');
  await expect(page.getByTestId('search-error')).toContainText('tag: profile: status: fw: location:');
});
