import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { FleetEvent } from '../../src/shared/api';
import { adminApi, expect, newDevice, open, test } from './support/fixtures';
import { snapWidthsAndThemes } from './support/screens';

const enc = encodeURIComponent;

/** Resolves once the device's log holds an event of this kind counted at least `count` times. */
async function untilEvent(mac: string, kind: string, count: number): Promise<void> {
  await expect.poll(async () => {
    const events = await adminApi<FleetEvent[]>('GET', `/api/events?deviceId=${enc(mac)}&kind=${kind}`);
    return events.reduce((sum, e) => sum + e.count, 0);
  }, { timeout: 30_000, intervals: [250] }).toBeGreaterThanOrEqual(count);
}

test.describe('events page', () => {
  test('filters in the URL, flapping folded, hide connectivity, CSV of what is shown', async ({ page }) => {
    test.setTimeout(180_000);
    const profile = await adminApi<{ id: number; name: string }>('POST', '/api/profiles', { name: `flappers-${Date.now()}` });
    const flapper = newDevice();
    await flapper.register();
    await adminApi('PATCH', `/api/devices/${enc(flapper.mac)}`, { name: 'Porch light', profileId: profile.id, checkinInterval: 5 });
    await flapper.checkin();
    // late after 1.5 intervals of silence; a check-in brings it back; then late again
    await untilEvent(flapper.mac, 'went_late', 1);
    await flapper.checkin();
    await untilEvent(flapper.mac, 'came_online', 1);
    await untilEvent(flapper.mac, 'went_late', 2);
    // back once more, then a long interval keeps it online for the rest of the test
    await flapper.checkin();
    await untilEvent(flapper.mac, 'came_online', 2);
    await adminApi('PATCH', `/api/devices/${enc(flapper.mac)}`, { checkinInterval: 3600 });
    const quiet = newDevice();
    await quiet.register();
    await adminApi('PUT', `/api/devices/${enc(quiet.mac)}/config`, { overrides: { led: 'on' } });

    await open(page, `/events?profileId=${profile.id}`);
    // the profile filter leaves only the flapper; its transitions are one row
    const rows = page.getByTestId('event-log');
    const flapping = rows.getByTestId('flapping-row');
    await expect(flapping).toHaveCount(1);
    await expect(flapping).toContainText('flapping ×4');
    await expect(rows.locator('[data-kind="registered"]')).toHaveCount(1);
    await expect(rows.getByText(quiet.mac)).toHaveCount(0);
    await expect(page.getByTestId('profile-filter')).toContainText(profile.name);

    // expand with the keyboard
    await flapping.getByTestId('flapping-toggle').focus();
    await page.keyboard.press('Enter');
    await expect(rows.getByTestId('flapping-event')).toHaveCount(2);
    await expect(flapping.getByTestId('flapping-toggle')).toHaveAttribute('aria-expanded', 'true');
    await snapWidthsAndThemes(page, 'events-flapping');

    // hide connectivity in one keystroke; the URL carries it
    await page.getByTestId('hide-connectivity').focus();
    await page.keyboard.press('Space');
    await expect(page).toHaveURL(/hideConnectivity=1/);
    await expect(rows.getByTestId('flapping-row')).toHaveCount(0);
    await expect(rows.locator('[data-kind="registered"]')).toHaveCount(1);

    // the CSV holds exactly what the filters show
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^fleetdesk-events-\d{4}-\d\d-\d\d\.csv$/);
    const csv = parse<Record<string, string>>(readFileSync((await download.path()), 'utf8'), { columns: true });
    const shown = await adminApi<FleetEvent[]>('GET', `/api/events?profileId=${profile.id}&hideConnectivity=1&limit=500`);
    expect(csv.map((r) => Number(r.id))).toEqual(shown.map((e) => e.id));
    expect(csv.every((r) => r.device === flapper.mac && r.device_name === 'Porch light')).toBe(true);
    expect(csv.some((r) => ['came_online', 'went_late', 'went_offline'].includes(r.kind!))).toBe(false);

    // a linked view opens as it was; clearing shows the rest of the fleet again
    await page.reload();
    await expect(page.getByTestId('hide-connectivity')).toHaveAttribute('aria-checked', 'true');
    await expect(rows.getByTestId('flapping-row')).toHaveCount(0);
    await page.getByTestId('clear-filters').click();
    await expect(page).not.toHaveURL(/profileId=/);
    await expect(rows.getByText(quiet.mac).first()).toBeVisible();
    await snapWidthsAndThemes(page, 'events-all');

    // kinds from the URL
    await open(page, '/events?kind=config_changed');
    await expect(rows.getByTestId('event-row').first()).toHaveAttribute('data-kind', 'config_changed');
    await expect(rows.locator('[data-kind]:not([data-kind="config_changed"])')).toHaveCount(0);
    await expect(page.getByTestId('kind-filter')).toContainText('config changed');
  });
});
