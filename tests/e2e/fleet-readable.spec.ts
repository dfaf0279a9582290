/** Every device is told apart and nothing is cut without a way to read it. */
import { adminApi, expect, newDevice, open, test } from './support/fixtures';

test('unnamed devices show their MAC; cut names, profiles and tags have tooltips and "+N"; the MAC column fits at 1440 px', async ({ page }) => {
  const stamp = Date.now().toString(36);
  const longProfile = `Greenhouse irrigation controllers ${stamp}`;
  const profile = await adminApi<{ id: number }>('POST', '/api/profiles', { name: longProfile });
  const unnamed = newDevice();
  const named = newDevice();
  for (const d of [unnamed, named]) {
    await d.register();
    await d.checkin();
  }
  const longName = `Aaa north greenhouse soil moisture probe ${stamp}`;
  const tags = ['battery', 'outdoor', 'zone-7', 'solar', 'v2-board'];
  await adminApi('PATCH', `/api/devices/${encodeURIComponent(named.mac)}`, { name: longName, profileId: profile.id, tags });

  await open(page, '/');
  await page.getByTestId('fleet-search').locator('input').fill(stamp);
  const row = page.locator(`[data-device-id="${named.mac}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator(`[title="${longName}"]`)).toBeVisible();
  await expect(row.locator(`[title="${longProfile}"]`)).toBeVisible();
  await expect(row.locator('.cell-tags')).toHaveAttribute('title', [...tags].sort().join(', '));
  await expect(row.locator('[data-more]')).toHaveText('+4');

  // the MAC column of every row is fully on screen at 1440 px, without scrolling sideways
  const macCell = row.locator('td[data-col-key="id"]');
  const box = (await macCell.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(1440);
  expect(await macCell.evaluate((td) => td.scrollWidth <= td.clientWidth)).toBe(true);

  await page.getByTestId('fleet-search').locator('input').fill(unnamed.mac);
  const unnamedRow = page.locator(`[data-device-id="${unnamed.mac}"]`);
  await expect(unnamedRow.locator('td[data-col-key="name"]')).toHaveText(unnamed.mac);
  await open(page, `/devices/${unnamed.mac}`);
  await expect(page.getByTestId('device-title')).toHaveText(unnamed.mac);

  // the profile filter's options are never cut
  await open(page, '/');
  await page.getByTestId('profile-filter').click();
  const option = page.locator('.n-base-select-option').filter({ hasText: longProfile });
  await expect(option).toBeVisible();
  expect(await option.evaluate((el) => { const text = el.querySelector('.n-base-select-option__content') ?? el; return text.scrollWidth <= text.clientWidth; })).toBe(true);
});
