/** Test helpers: the running app, simulated devices on its device port, the admin API, screenshots. */
import { join } from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import { SimulatedDevice } from '../../../src/simulator/device';
import { E2E_ENV, SCREENSHOT_DIR } from './paths';

export interface AppInfo { deviceUrl: string; adminUrl: string; adminToken: string; dataDir: string }

export function appInfo(): AppInfo {
  const raw = process.env[E2E_ENV];
  if (!raw) throw new Error('the e2e global setup did not run');
  return JSON.parse(raw) as AppInfo;
}

let macSerial = Math.floor(Math.random() * 0xff);
/** A simulated ESP8266 (the simulator library) pointed at the app's device listener. */
export function newDevice(options: Partial<ConstructorParameters<typeof SimulatedDevice>[0]> = {}): SimulatedDevice {
  macSerial = (macSerial + 1) % 0xffff;
  const hex = macSerial.toString(16).padStart(4, '0');
  const mac = `02:e2:e0:${(process.pid % 256).toString(16).padStart(2, '0')}:${hex.slice(0, 2)}:${hex.slice(2)}`;
  return new SimulatedDevice({ server: appInfo().deviceUrl, mac, interval: 30, ...options });
}

/** Calls the admin API with the bearer token (for set-up the test is not about). */
export async function adminApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const { adminUrl, adminToken } = appInfo();
  const response = await fetch(adminUrl + path, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Saves a screenshot artifact under test-results/screenshots/ once the page has settled: no finite
 * animation or transition still running (no 'networkidle': the delta stream keeps a request open
 * for good), and any that starts meanwhile is taken at its end state.
 */
export async function snap(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
  );
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false, animations: 'disabled' });
}

/** Switches the emulated OS theme and waits until the app has followed it. */
export async function useColourScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme });
  await expect(page.locator('html')).toHaveCSS('color-scheme', scheme);
}

/** Opens a view of the app (hash route) and waits for the shell. */
export async function open(page: Page, route = '/'): Promise<void> {
  await page.goto(`${appInfo().adminUrl}/#${route}`);
  await expect(page.locator('nav[aria-label="Main"]')).toBeVisible();
}

export const test = base;

export { expect };
