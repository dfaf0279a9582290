/**
 * Smoke test of the real desktop app: Electron starts the built main entry, the window opens signed
 * in (the session cookie was set before loading), with no Node in the page, and the app
 * quits cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const repoRoot = resolve(import.meta.dirname, '../..');

test('the desktop window opens signed in, without Node in the page, and the app quits cleanly', async () => {
  const executablePath = process.env.FLEETDESK_ELECTRON_PATH;
  // scripts/test-desktop.mjs sets it; running this file any other way is a mistake worth a clear failure
  expect(executablePath, 'run through `npm run test:desktop`').toBeTruthy();
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetdesk-desktop-'));
  const app = await electron.launch({
    executablePath,
    args: [join(repoRoot, 'out', 'main', 'index.js'), '--data-dir', dataDir, '--device-port', '0', '--bind', '127.0.0.1', '--no-mdns'],
    env: { ...process.env, FLEETDESK_SQLITE_BINDING: process.env.FLEETDESK_SQLITE_BINDING ?? '' },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.locator('nav[aria-label="Main"]')).toBeVisible();
    expect(new URL(page.url()).hostname).toBe('127.0.0.1');

    // no Node in the page (sandboxed, context-isolated, no node integration)
    const inPage = await page.evaluate(() => {
      const g = globalThis as { require?: unknown; process?: unknown; module?: unknown };
      return { require: typeof g.require, process: typeof g.process, module: typeof g.module };
    });
    expect(inPage).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined' });
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(await page.evaluate(() => window.open('https://example.com/'))).toBeNull();
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
