/**
 * Screenshots of the fleet (grouped by location), device overview, device config, firmware and
 * settings pages at 1440 and 1024 px, light and dark, with a fleet that has what real ones have:
 * long names, many tags, unnamed devices, a long config URL, a device awaiting approval and one
 * whose config is syncing.
 */
import { adminApi, appInfo, expect, newDevice, open, snap, test } from './support/fixtures';

test('screenshots of the main pages at 1440 and 1024 px, light and dark', async ({ page }) => {
  test.setTimeout(300_000); // twenty screenshots on a shared, loaded machine
  const stamp = Date.now().toString(36);
  const profile = await adminApi<{ id: number }>('POST', '/api/profiles', { name: `Greenhouse irrigation ${stamp}`, defaults: { interval: 60, unit: 'C' } });
  const devices = Array.from({ length: 4 }, () => newDevice());
  for (const d of devices) {
    await d.register();
    await d.checkin();
  }
  const [main, tagged, , syncing] = devices as [typeof devices[0], typeof devices[0], typeof devices[0], typeof devices[0]];
  await adminApi('PATCH', `/api/devices/${encodeURIComponent(main.mac)}`, {
    name: 'North greenhouse soil moisture probe with a long name', location: 'Greenhouse north, bench 3', profileId: profile.id, tags: ['battery', 'outdoor'],
  });
  await adminApi('PUT', `/api/devices/${encodeURIComponent(main.mac)}/config`, {
    overrides: { update_url: `https://updates.example.org/fleet/${'segment/'.repeat(10)}fw.bin?channel=stable`, threshold: 4.5 },
  });
  await main.checkin();
  await main.checkin();
  await adminApi('PATCH', `/api/devices/${encodeURIComponent(tagged.mac)}`, { name: 'Cellar humidity', location: 'Cellar', profileId: profile.id, tags: ['battery', 'indoor', 'zone-7', 'solar', 'v2-board'] });
  await adminApi('PATCH', `/api/devices/${encodeURIComponent(devices[2]!.mac)}`, { profileId: profile.id });
  await adminApi('PATCH', `/api/devices/${encodeURIComponent(syncing.mac)}`, { name: 'Boiler room', location: 'Cellar', profileId: profile.id });
  const { adminUrl, adminToken } = appInfo();
  await fetch(`${adminUrl}/api/firmware?name=greenhouse-node-${stamp}&version=2.4.1`, {
    method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/octet-stream' }, body: new Uint8Array(4096),
  });

  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const tag = `${width}-${scheme}`;
      await open(page, '/');
      await page.evaluate(() => localStorage.setItem('fleetdesk.fleet.groupBy', JSON.stringify('location')));
      await page.reload();
      // the shared app holds every other spec's devices too: show this fleet's four, by its profile
      await page.getByTestId('fleet-search').locator('input').fill(`profile:"Greenhouse irrigation ${stamp}"`);
      await expect(page.locator('.fleet-row')).toHaveCount(4);
      await expect(page.locator(`[data-device-id="${main.mac}"]`)).toBeVisible();
      await expect(page.getByTestId('group-head')).toHaveCount(3);
      await snap(page, `screens-fleet-${tag}`);
      await open(page, `/devices/${main.mac}`);
      await expect(page.getByTestId('device-facts')).toBeVisible();
      await snap(page, `screens-device-overview-${tag}`);
      await open(page, `/devices/${main.mac}?tab=config`);
      await expect(page.getByTestId('effective-config')).toBeVisible();
      await snap(page, `screens-device-config-${tag}`);
      await open(page, '/firmware');
      await expect(page.locator(`[data-firmware="greenhouse-node-${stamp}@2.4.1"]`)).toBeVisible();
      await snap(page, `screens-firmware-${tag}`);
      await open(page, '/settings');
      await expect(page.getByTestId('settings-form')).toBeVisible();
      await snap(page, `screens-settings-${tag}`);
    }
  }
});
