/**
 * End-to-end tests: Debian's Chromium (never a downloaded browser) against the headless app with
 * a fresh data dir, started once by the global setup. One worker: the tests share that app.
 */
import { defineConfig } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  // Playwright wipes its outputDir at start; keep it apart from reports and screenshots
  outputDir: 'test-results/playwright',
  globalSetup: './tests/e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['json']] : [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    storageState: 'test-results/e2e-state/session.json',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
