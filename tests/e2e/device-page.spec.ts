/** The device page as a user lives with it: live telemetry, a form that settles after Save, long config values. */
import { requestJson } from '../../src/simulator/http-client';
import type { SimulatedDevice } from '../../src/simulator/device';
import { adminApi, appInfo, expect, newDevice, open, test } from './support/fixtures';

/** A check-in with chosen telemetry, sent as the device would. */
function checkinWith(device: SimulatedDevice, body: Record<string, unknown>) {
  return requestJson({
    method: 'POST', url: `${appInfo().deviceUrl}/api/v1/devices/${encodeURIComponent(device.mac)}/checkin`,
    headers: { Authorization: `Bearer ${device.token}` }, json: { cfgsn: device.cfgsn, ...body },
  });
}

const fact = (page: import('@playwright/test').Page, label: string) =>
  page.getByTestId('device-facts').locator('dt', { hasText: label }).locator('+ dd');

test.describe('device page', () => {
  test('signal, heap and uptime follow check-ins live, and uptime runs on between check-ins', async ({ page }) => {
    const device = newDevice();
    await device.register();
    await device.checkin();
    await open(page, `/devices/${device.mac}`);
    await expect(fact(page, 'Uptime')).toBeVisible();

    // seconds after the previous check-in: the kind of update that used to be dropped
    await checkinWith(device, { rssi: -71, heap: 20_480, uptime: 3_590 });
    await expect(fact(page, 'Signal')).toContainText('-71 dBm');
    await expect(fact(page, 'Free heap')).toHaveText('20.0 KiB');
    await expect(fact(page, 'Uptime')).toHaveText(/^59 min 5\d s$/);
    const shown = await fact(page, 'Uptime').textContent();
    await expect(fact(page, 'Uptime')).not.toHaveText(shown!); // ticks on with no new check-in
    await expect(fact(page, 'Uptime')).toHaveText(/^(59 min 5\d s|1 h 0 min)$/);

    await checkinWith(device, { rssi: -48, heap: 18_432, uptime: 20 }); // rebooted meanwhile
    await expect(fact(page, 'Signal')).toContainText('-48 dBm');
    await expect(fact(page, 'Free heap')).toHaveText('18.0 KiB');
    await expect(fact(page, 'Uptime')).toHaveText(/^2\d s$/); // "20 s", never "0 min 20 s"
  });

  test('the form is clean after Save even though the server sorts the tags, and follows live changes again', async ({ page }) => {
    const device = newDevice();
    await device.register();
    await device.checkin();
    await open(page, `/devices/${device.mac}`);
    const tags = page.getByTestId('field-tags');
    for (const tag of ['zeta', 'alpha']) {
      await tags.locator('button').last().click();
      await tags.locator('input').fill(tag);
      await tags.locator('input').press('Enter');
    }
    await expect(page.getByTestId('device-save')).toBeEnabled();
    await page.getByTestId('device-save').click();
    await expect(page.locator('.n-message')).toContainText('Device saved');
    expect((await adminApi<{ tags: string[] }>('GET', `/api/devices/${encodeURIComponent(device.mac)}`)).tags).toEqual(['alpha', 'zeta']);
    await expect(page.getByTestId('device-save')).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Discard' })).toBeDisabled();

    await adminApi('PATCH', `/api/devices/${encodeURIComponent(device.mac)}`, { location: 'Moved by a colleague' });
    await expect(page.getByTestId('field-location').locator('input')).toHaveValue('Moved by a colleague');
  });

  test('effective config: a long URL wraps inside its value cell, keys stay on one line at 1024 px', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    const device = newDevice();
    await device.register();
    await device.checkin();
    const url = `https://updates.example.org/fleet/${'very-long-path-segment/'.repeat(8)}firmware.bin?channel=stable&token=${'x'.repeat(60)}`;
    await adminApi('PUT', `/api/devices/${encodeURIComponent(device.mac)}/config`, { overrides: { interval: 60, update_url: url, mqtt_broker_hostname: 'broker.lan' } });
    await open(page, `/devices/${device.mac}?tab=config`);
    const table = page.getByTestId('effective-config');
    await expect(table.locator('[data-key="update_url"]')).toContainText('very-long-path-segment');
    for (const key of ['interval', 'update_url', 'mqtt_broker_hostname']) {
      const keyCell = table.locator(`[data-key="${key}"] td`).first();
      // one line box per line of text: a squeezed key column breaks a key over several
      const lines = await keyCell.evaluate((td) => {
        const text = document.createTreeWalker(td, NodeFilter.SHOW_TEXT).nextNode()!;
        const range = document.createRange();
        range.selectNodeContents(text);
        return range.getClientRects().length;
      });
      expect(lines, `key ${key} on one line`).toBe(1);
    }
    const overflow = await table.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
