import type { Page } from '@playwright/test';
import type { SimulatedDevice } from '../../src/simulator/device';
import { adminApi, expect, newDevice, open, test } from './support/fixtures';

/** Presses Tab until the focused element matches. */
async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${max} Tabs did not reach ${selector}`);
}

/** A check-in reporting exactly this signal (the simulator's walk holds still with random = 0.5). */
async function checkInWith(device: SimulatedDevice, rssi: number): Promise<void> {
  device.telemetry.rssi = rssi;
  await device.checkin();
}

const names = (page: Page) => page.locator('.fleet-row .cell-name');
const activeRowTop = (page: Page) =>
  page.evaluate(() => {
    const id = document.querySelector('[data-testid="fleet-grid"]')?.getAttribute('aria-activedescendant');
    const row = id ? document.getElementById(id) : null;
    return row ? { name: row.querySelector('.cell-name')?.textContent ?? '', top: Math.round(row.getBoundingClientRect().top) } : null;
  });
const scrollTop = (page: Page) => page.locator('[data-testid="fleet-grid"] .v-vl').evaluate((el) => el.scrollTop);

test.describe('live re-sort', () => {
  test('a check-in that moves the sorted value re-sorts the list, the row under the caret stays put, a user re-sort starts at the top', async ({ page }) => {
    test.setTimeout(180_000);
    const stamp = Date.now().toString(36);
    const devices: SimulatedDevice[] = [];
    for (let i = 0; i < 40; i++) {
      const d = newDevice({ random: () => 0.5 });
      await d.register();
      devices.push(d);
    }
    for (const [i, d] of devices.entries()) {
      await adminApi('PATCH', `/api/devices/${encodeURIComponent(d.mac)}`, { name: `ls-${stamp}-${String(i).padStart(2, '0')}` });
      await checkInWith(d, -90 + i); // device 39 is the strongest
    }
    const label = (i: number) => `ls-${stamp}-${String(i).padStart(2, '0')}`;

    await open(page, '/');
    await page.evaluate(() => {
      localStorage.setItem('fleetdesk.fleet.sort', JSON.stringify({ sort: 'rssi', order: 'desc' }));
      localStorage.setItem('fleetdesk.fleet.columns', JSON.stringify(['status', 'name', 'rssi', 'lastSeenAt', 'id']));
    });
    await page.reload();
    await page.getByTestId('fleet-search').locator('input').fill(`ls-${stamp}`);
    await expect(names(page).first()).toHaveText(label(39));

    // the weakest device moves to the top when it reports the best signal
    await checkInWith(devices[0]!, -40);
    await expect(names(page).first()).toHaveText(label(0), { timeout: 20_000 });
    await expect(names(page).nth(1)).toHaveText(label(39));

    // the row under the keyboard caret holds its place on screen while a device jumps above it
    await tabTo(page, '[data-testid="fleet-grid"]');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
    const before = await activeRowTop(page);
    expect(before?.name).toBe(label(32));
    const scrolled = await scrollTop(page);
    await checkInWith(devices[5]!, -41); // from far below to second place, above the caret
    // one row more above it: the list scrolls by one row, so the caret's row does not move
    await expect.poll(() => scrollTop(page), { timeout: 20_000 }).toBe(scrolled + 40);
    expect(await activeRowTop(page)).toEqual(before);
    await page.keyboard.press('Home');
    await expect(names(page).nth(1)).toHaveText(label(5)); // it did move: second, as its signal says
    expect(await activeRowTop(page)).toMatchObject({ name: label(0) });

    // a re-sort by the user starts at the top of the new order, and stays there
    await page.keyboard.press('End');
    await expect.poll(() => scrollTop(page)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Sort by Signal' }).click(); // the mouse rests on the header, not on a row
    await expect(names(page).first()).toHaveText(label(1)); // weakest first
    expect(await scrollTop(page)).toBe(0);
    await checkInWith(devices[2]!, -91); // a live change after the re-sort moves rows, not the scroll position
    await expect(names(page).first()).toHaveText(label(2), { timeout: 20_000 });
    expect(await scrollTop(page)).toBe(0);
  });
});
