/**
 * Device charts, the availability bar and the dashboard on an app whose devices have a month of
 * history (built by the real services on a moved clock), then kept live by check-ins of a
 * simulated device. Screenshots light and dark at 1440 and 1024 px.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { SimulatedDevice } from '../../src/simulator/device';
import { requestJson } from '../../src/simulator/http-client';
import { type HeadlessApp, repoRoot, startHeadless } from './support/headless';
import { expect, snap, test } from './support/fixtures';
import { snapWidthsAndThemes } from './support/screens';

interface HistoryDevice { mac: string; name: string; token: string }

let app: HeadlessApp;
let devices: HistoryDevice[];
let dataDir: string;
let context: BrowserContext;

// the login URL works once: one signed-in context for the whole file
test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000); // a month of check-ins on a moved clock, then an app start
  // the generator runs the core's services: in a child process, outside the e2e TypeScript project
  const built = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'tests/helpers/history-fleet-main.ts')], { cwd: repoRoot, encoding: 'utf8' });
  ({ dataDir, devices } = JSON.parse(built) as { dataDir: string; devices: HistoryDevice[] });
  app = await startHeadless({ entry: 'built', dataDir });
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(app.loginUrl);
  await expect(page.locator('nav[aria-label="Main"]')).toBeVisible();
  await page.close();
});
test.afterAll(async () => {
  await context.close();
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function checkin(device: HistoryDevice, body: Record<string, unknown>) {
  return requestJson({
    method: 'POST', url: `${app.deviceUrl}/api/v1/devices/${encodeURIComponent(device.mac)}/checkin`,
    headers: { Authorization: `Bearer ${device.token}` }, json: { cfgsn: 1, ...body },
  });
}

test.describe('history', () => {
  // four screenshots per view on a shared 2-core machine
  test.describe.configure({ timeout: 180_000 });
  test('device page: signal and heap charts over each range, reboots marked, availability bar with uptime', async () => {
    const page = await context.newPage();
    const relay = devices[1]!;
    await page.goto(`${app.adminUrl}/#/devices/${relay.mac}`);
    const charts = page.getByTestId('device-charts');
    await expect(charts.locator('.time-chart').first()).toHaveAttribute('data-points', /^(28[0-9]|2[0-7][0-9])$/, { timeout: 30_000 }); // 24 h in 5-min steps; the first load of a busy machine
    await expect(charts.locator('canvas')).toHaveCount(2);

    await page.getByTestId('range-30d').click();
    await expect(charts).toContainText('hourly min / avg / max');
    await expect(charts.locator('.time-chart').first()).toHaveAttribute('data-points', /^7[012][0-9]$/); // 720 hours and the current one
    // the relay restarts every 5 days: 5 reboots in the month, drawn on both charts and listed
    await expect(charts.locator('.time-chart').first()).toHaveAttribute('data-markers', /^[56]$/);
    await expect(page.getByTestId('reboot-list')).toContainText('Reboots:');

    const bar = page.getByTestId('availability');
    await expect(bar.locator('.cell[data-state]')).toHaveCount(24);
    await expect(page.getByTestId('uptime-24h')).toHaveText(/^\d{2,3}\.\d %$/);
    await expect(page.getByTestId('uptime-30d')).toHaveText(/^\d{2,3}\.\d %$/);
    await page.getByTestId('device-charts').scrollIntoViewIfNeeded();
    await snapWidthsAndThemes(page, 'history-device-relay');

    // the garage door was away half a day on day 3: the 30-day bar shows that day amber
    const garage = devices[2]!;
    await page.goto(`${app.adminUrl}/#/devices/${garage.mac}`);
    await bar.getByRole('radio', { name: '30 d' }).check({ force: true });
    await expect(bar.locator('.cell[data-state]')).toHaveCount(30);
    await expect(bar.locator('.cell[data-state="degraded"]').first()).toBeVisible();
    await bar.scrollIntoViewIfNeeded();
    await snapWidthsAndThemes(page, 'history-availability-30d');
  });

  test('device page updates live: a check-in adds its reading to the last-hour chart, a reboot is marked', async () => {
    const page = await context.newPage();
    const sensor = devices[0]!;
    await page.goto(`${app.adminUrl}/#/devices/${sensor.mac}`);
    await page.getByTestId('range-1h').click();
    const chart = page.getByTestId('device-charts').locator('.time-chart').first();
    await expect(chart).toHaveAttribute('data-points', /^\d+$/);
    const markers = Number(await chart.getAttribute('data-markers'));
    await checkin(sensor, { rssi: -90, heap: 12_000, uptime: 4 }); // rebooted a moment ago
    await expect(chart).toHaveAttribute('data-markers', String(markers + 1));
    await expect(page.getByTestId('device-facts')).toContainText('-90 dBm');
  });

  test('dashboard: status over time, weakest devices, reboots, firmware in use; a new device shows up live', async () => {
    const page = await context.newPage();
    await page.goto(`${app.adminUrl}/#/`);
    await page.getByTestId('nav-dashboard').click();
    await expect(page).toHaveURL(/#\/dashboard$/, { timeout: 30_000 }); // the view's chunk loads on first use
    await expect(page.getByTestId('status-tiles')).toBeVisible();
    await expect(page.getByTestId('weakest-signal')).toContainText('Attic fan');
    await expect(page.getByTestId('lowest-heap').locator('li').first()).toBeVisible();
    await expect(page.getByTestId('firmware-shares')).toContainText('1.5.1');
    await expect(page.getByTestId('firmware-shares')).toContainText('1.3.9');
    await page.getByRole('radio', { name: '30 days' }).check({ force: true });
    await expect(page.getByTestId('most-reboots').locator('li').first()).toContainText('Boiler room relay');
    await expect(page.locator('.dashboard .time-chart')).toHaveAttribute('data-points', /^\d{3}$/);

    const online = Number(await page.getByTestId('tile-online').locator('.n').textContent());
    const newcomer = new SimulatedDevice({ server: app.deviceUrl, mac: '02:aa:00:00:00:99', interval: 300 });
    await newcomer.register();
    await newcomer.checkin();
    await expect(page.getByTestId('tile-online').locator('.n')).toHaveText(String(online + 1));
    await snapWidthsAndThemes(page, 'history-dashboard');
    await snap(page, 'history-dashboard-final');
  });
});
