/** Shared set-up of the renderer store tests: a real headless fleet, the api client pointed at it. */
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { configureApi } from '../../../src/renderer/src/api/http';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { SimulatedDevice } from '../../../src/simulator/device';
import { startHeadless, type HeadlessApp, type StartOptions } from '../../e2e/support/headless';

export function useHeadlessFleet(options: StartOptions = {}): { app: () => HeadlessApp } {
  let app: HeadlessApp | null = null;
  beforeAll(async () => {
    app = await startHeadless({ entry: 'source', ...options });
    configureApi({ baseUrl: app.adminUrl, headers: { Authorization: `Bearer ${app.adminToken}` } });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    setActivePinia(createPinia());
  });
  return { app: () => app! };
}

/** Stops the delta stream of the active pinia (call in afterEach of tests that start it). */
export function stopStream(): void {
  useConnectionStore().stop();
}

let macCounter = 0x10;
export function simulatedDevice(app: HeadlessApp, extra: Partial<ConstructorParameters<typeof SimulatedDevice>[0]> = {}): SimulatedDevice {
  macCounter += 1;
  const mac = `02:00:00:00:${(process.pid % 256).toString(16).padStart(2, '0')}:${(macCounter % 256).toString(16).padStart(2, '0')}`;
  return new SimulatedDevice({ server: app.deviceUrl, mac, interval: 30, ...extra });
}

/** Polls until `check` stops throwing (live updates arrive asynchronously over SSE). */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  await vi.waitFor(check, { timeout: timeoutMs, interval: 50 });
}
