/**
 * UI benchmark (a script, not a test): 10 000 devices in the headless app, the fleet view in
 * Debian Chromium. Measures time to first screen (cold page load and in-app navigation), filter
 * latency while typing (per keystroke, and after the last key of fast typing, with long tasks on
 * the main thread), and frame times while scrolling the virtual table.
 *
 *   npx tsx tests/e2e/perf/fleet-10k.ts [--devices 10000] [--runs 5] [--data-dir D]
 *
 * With --data-dir pointing at a directory seeded by an earlier run, seeding is skipped.
 */
import { existsSync, readdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../../playwright.config';
import { SimulatedFleet } from '../../../src/simulator/fleet';
import type { SimulatorState } from '../../../src/simulator/state-file';
import { seededRandom } from '../../../src/simulator/telemetry';
import { startHeadless, type HeadlessApp } from '../support/headless';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DEVICES = arg('devices', 10_000);
const RUNS = arg('runs', 5);
const dataDirIndex = process.argv.indexOf('--data-dir');
const DATA_DIR = dataDirIndex > 0 ? process.argv[dataDirIndex + 1] : undefined;
const LOCATIONS = ['Building A', 'Building B', 'Greenhouse', 'Cold store', 'Workshop', 'Lab 2'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  }));
}

async function seed(app: HeadlessApp): Promise<void> {
  const started = performance.now();
  const state: SimulatorState = { version: 1, macPrefix: 0xbe, devices: [] };
  const fleet = new SimulatedFleet({ server: app.deviceUrl, count: DEVICES, state, interval: 300, wait: 0, random: seededRandom(7) });
  await pool(fleet.devices, 64, async (device) => {
    await device.register();
    await device.checkin();
  });
  const headers = { Authorization: `Bearer ${app.adminToken}`, 'Content-Type': 'application/json' };
  await pool(fleet.devices, 32, async (device, i) => {
    const body = { name: `sensor-${String(i).padStart(5, '0')}`, location: LOCATIONS[i % LOCATIONS.length], tags: [i % 3 ? 'floor' : 'roof'] };
    const response = await fetch(`${app.adminUrl}/api/devices/${encodeURIComponent(device.mac)}`, { method: 'PATCH', headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`PATCH ${device.mac}: ${response.status}`);
  });
  fleet.agent.destroy();
  console.log(`seeded ${DEVICES} devices in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

interface Probe { firstRowAt: number | null; landedAt: Record<string, number>; keyAt: number[]; longTasks: number[] }

async function main(): Promise<void> {
  const seeded = DATA_DIR !== undefined && existsSync(DATA_DIR) && readdirSync(DATA_DIR).length > 0;
  const app = await startHeadless({ entry: 'built', dataDir: DATA_DIR });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    if (!seeded) await seed(app);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // in-page clocks: when the first table row appears, when a search result lands, when keys go down
    await context.addInitScript(() => {
      const w = window as unknown as Probe;
      w.firstRowAt = null;
      w.landedAt = {};
      w.keyAt = [];
      w.longTasks = [];
      new MutationObserver((records) => {
        if (w.firstRowAt === null && document.querySelector('.fleet-row')) w.firstRowAt = performance.now();
        for (const record of records) {
          if (record.type !== 'attributes') continue;
          const landed = (record.target as Element).getAttribute('data-loaded-q');
          if (landed !== null && !(landed in w.landedAt)) w.landedAt[landed] = performance.now();
        }
      }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-loaded-q'] });
      document.addEventListener('keydown', () => w.keyAt.push(performance.now()), true);
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration); }).observe({ type: 'longtask' });
    });
    const page = await context.newPage();
    await page.goto(app.loginUrl);
    await page.waitForSelector('.fleet-row');

    // 1. time to first screen: from navigation start (cold) or from the click (in-app) to the first row
    const cold: number[] = [];
    const navigation: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const fresh = await context.newPage();
      await fresh.goto(`${app.adminUrl}/#/`);
      await fresh.waitForSelector('.fleet-row', { timeout: 30_000 });
      cold.push(await fresh.evaluate(() => (window as unknown as Probe).firstRowAt!));
      await fresh.close();

      await page.click('[data-testid="nav-settings"]');
      await page.waitForSelector('[data-testid="server-panel"]');
      navigation.push(await page.evaluate(async () => {
        const t0 = performance.now();
        (document.querySelector('[data-testid="nav-fleet"]') as HTMLElement).click();
        while (!document.querySelector('.fleet-row')) await new Promise(requestAnimationFrame);
        return performance.now() - t0;
      }));
    }

    // 2. filter latency, one keystroke at a time: key down → rows of that search on screen
    const query = 'sensor-012';
    const search = page.locator('[data-testid="fleet-search"] input');
    await search.click();
    const perKey: number[] = [];
    for (let i = 1; i <= query.length; i++) {
      const prefix = query.slice(0, i);
      await page.evaluate(() => { const w = window as unknown as Probe; w.keyAt = []; w.landedAt = {}; });
      await page.keyboard.press(query[i - 1]!);
      await page.waitForSelector(`.summary[data-loaded-q="${prefix}"]`, { timeout: 30_000 });
      perKey.push(await page.evaluate((p) => { const w = window as unknown as Probe; return w.landedAt[p]! - w.keyAt[0]!; }, prefix));
    }
    await search.fill('');
    await page.waitForSelector('.summary[data-loaded-q=""]', { timeout: 30_000 });

    // 3. fast typing (80 ms per key): main-thread long tasks and last key → result
    const fastQuery = 'greenhouse';
    await page.evaluate(() => { const w = window as unknown as Probe; w.keyAt = []; w.landedAt = {}; w.longTasks = []; });
    await search.pressSequentially(fastQuery, { delay: 80 });
    await page.waitForSelector(`.summary[data-loaded-q="${fastQuery}"]`, { timeout: 30_000 });
    const fast = await page.evaluate((q) => { const w = window as unknown as Probe; return { afterLastKey: w.landedAt[q]! - w.keyAt[w.keyAt.length - 1]!, longTasks: w.longTasks }; }, fastQuery);
    const afterLastKey = fast.afterLastKey;
    const longTasks = fast.longTasks;
    await search.fill('');
    await page.waitForSelector('.summary[data-loaded-q=""]', { timeout: 30_000 });

    // 4. scrolling the virtual table: frame intervals while jumping 400 px per frame
    await page.waitForFunction(() => !(document.querySelector('.summary')?.textContent ?? '').includes('loading'), undefined, { timeout: 60_000 });
    const frames = await page.evaluate(async () => {
      const scroller = [...document.querySelectorAll('.fleet-table *')].find((el) => el.scrollHeight > el.clientHeight + 1000) as HTMLElement;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 120; i++) {
        scroller.scrollTop += 400;
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times;
    });

    console.log('');
    console.log(`fleet view with ${DEVICES} devices (Chromium ${browser.version()}, ${RUNS} runs)`);
    console.log(`  (in-page clocks: navigation start / click / key down → first matching row in the DOM)`);
    console.log(`  first screen, cold page load      median ${ms(median(cold))}   max ${ms(Math.max(...cold))}`);
    console.log(`  first screen, in-app navigation   median ${ms(median(navigation))}   max ${ms(Math.max(...navigation))}`);
    console.log(`  filter, per keystroke ("${query}")  median ${ms(median(perKey))}   max ${ms(Math.max(...perKey))}   (key down → rows on screen, includes the 150 ms debounce)`);
    console.log(`  filter, fast typing 80 ms/key     result ${ms(afterLastKey)} after the last key; long tasks: ${longTasks.length} (max ${ms(Math.max(0, ...longTasks))})`);
    console.log(`  scrolling                         frame p50 ${ms(median(frames))}   p95 ${ms(pct(frames, 0.95))}   max ${ms(Math.max(...frames))}`);
  } finally {
    await browser.close();
    await app.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
