/**
 * `npm run test:desktop` only (scripts/test-desktop.mjs finds the Electron runtime and a display
 * first): the real desktop app launched through Playwright's Electron driver.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.desktop.ts',
  outputDir: '../../test-results/desktop',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
});
