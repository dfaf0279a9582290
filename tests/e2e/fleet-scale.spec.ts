/**
 * The fleet count at scale: 2 000 simulated devices, most of them checking in (with a new firmware
 * version, a change the list shows at once) while the list is still loading behind its first screen, and a
 * few registering meanwhile. Runs its own app so the other specs keep their small fleet.
 */
import { Agent } from 'node:http';
import { SimulatedDevice } from '../../src/simulator/device';
import { SimulatedFleet } from '../../src/simulator/fleet';
import { requestJson } from '../../src/simulator/http-client';
import { startHeadless, type HeadlessApp } from './support/headless';
import { expect, test } from './support/fixtures';

const DEVICES = 2000;
const NEWCOMERS = 5;

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

let app: HeadlessApp;
test.beforeAll(async () => {
  app = await startHeadless({ entry: 'built' });
});
test.afterAll(async () => {
  await app?.stop();
});

test('counts, "select all N matching" and sort order hold while 2 000 devices check in during the load', async ({ browser }) => {
  test.setTimeout(240_000);
  const fleet = new SimulatedFleet({ server: app.deviceUrl, count: DEVICES, state: { version: 1, macPrefix: 0x5c, devices: [] }, interval: 300, wait: 0 });
  await pool(fleet.devices, 32, async (d) => { await d.register(); await d.checkin(); });

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  await context.addInitScript(() => localStorage.setItem('fleetdesk.fleet.sort', '{"sort":"id","order":"asc"}'));
  const page = await context.newPage();
  const ids = fleet.devices.map((d) => d.mac).sort();
  const firstId = ids[0]!;

  // Hold the second chunk of the list until the check-ins it races with have reached the page.
  let held = false;
  let released!: () => void;
  const chunkReleased = new Promise<void>((done) => (released = done));
  await page.route(/\/api\/devices\?.*offset=150/, async (route) => {
    if (held) return route.continue();
    held = true;
    // Fresh connections, as an ESP8266 makes them: the fleet's keep-alive sockets sat idle while the
    // page loaded, and one the server had just closed at its keep-alive timeout answers ECONNRESET.
    const fresh = new Agent({ keepAlive: false });
    try {
      // a check-in after a firmware update, a change the list shows at once, sent as the device would
      const checkinFrom = (d: SimulatedDevice, version: string) => requestJson({
        method: 'POST', url: `${app.deviceUrl}/api/v1/devices/${encodeURIComponent(d.mac)}/checkin`, agent: fresh,
        headers: { Authorization: `Bearer ${d.token}` }, json: { cfgsn: d.cfgsn, fw: { name: 'fleetdesk-sim', version }, rssi: -60, heap: 30000, uptime: 99 },
      });
      // the device of the first row checks in last: once its new version shows, every delta before it arrived
      const moved = fleet.devices.filter((d) => d.mac !== firstId).concat(fleet.devices.filter((d) => d.mac === firstId));
      const newcomers = Array.from({ length: NEWCOMERS }, (_, i) =>
        new SimulatedDevice({ server: app.deviceUrl, mac: `02:5c:00:01:00:${(0x10 + i).toString(16)}`, interval: 300, agent: fresh }));
      await pool(newcomers, 5, async (d) => { await d.register(); await d.checkin(); });
      await pool(moved.slice(0, -1), 32, (d) => checkinFrom(d, '2.0.0'));
      await checkinFrom(moved.at(-1)!, '2.0.1');
      await expect(page.locator(`[data-device-id="${firstId}"]`)).toContainText('2.0.1');
      await route.continue();
    } finally {
      fresh.destroy();
      released();
    }
  });

  await page.goto(app.loginUrl);
  await expect(page.locator('nav[aria-label="Main"]')).toBeVisible();
  const api = async (path: string) => (await page.request.get(app.adminUrl + path, { headers: { Authorization: `Bearer ${app.adminToken}` } })).json();
  const expected = DEVICES + NEWCOMERS;
  // the newcomers register while the list's second chunk is held: the server's count is only
  // final once that chunk has been released
  await chunkReleased;
  expect((await api('/api/devices?limit=1')).total).toBe(expected);
  const summary = page.locator('.fleet .summary');
  await expect(summary).not.toContainText('loading');
  await expect(summary).toHaveText(`${expected} devices`);
  await expect(page.getByTestId('count-total')).toHaveText(String(expected));

  // the last row of the list is the last device in MAC order, not one that checked in while loading
  const lastId = (await api('/api/devices?sort=id&order=desc&limit=1')).items[0].id as string;
  await page.locator('.fleet-table .v-vl').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(page.locator(`[data-device-id="${lastId}"]`)).toBeVisible();
  const shown = await page.locator('.fleet-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-device-id')!));
  expect(shown.at(-1)).toBe(lastId);
  expect(shown).toEqual([...shown].sort());

  await page.locator(`[data-device-id="${lastId}"] .row-check`).click();
  await expect(page.getByTestId('select-all-matching')).toHaveText(`Select all ${expected} matching`);
  fleet.agent.destroy();
  await context.close();
});
