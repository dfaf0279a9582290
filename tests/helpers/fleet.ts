/**
 * startTestFleet(): a real fleet on 127.0.0.1 with ephemeral ports, a fresh data dir in the OS temp
 * folder, mDNS off and a silent logger — plus small clients for the device and admin listeners.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { vi } from 'vitest';
import { createFleet, type Fleet, type FleetOptions } from '../../src/main/core';
import { httpRequest, type RawRequest, type RawResponse } from './http';

export interface TestFleet {
  fleet: Fleet;
  dataDir: string;
  deviceUrl: string;
  adminUrl: string;
  /** request to the device listener */
  device(path: string, init?: RawRequest): Promise<RawResponse>;
  /** request to the admin listener with the admin bearer token */
  admin(path: string, init?: RawRequest): Promise<RawResponse>;
  stop(): Promise<void>;
  /** stop and delete the data dir */
  dispose(): Promise<void>;
}

export function makeTempDataDir(prefix = 'fleetdesk-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestFleet(overrides: Partial<FleetOptions> = {}): Promise<TestFleet> {
  const dataDir = overrides.dataDir ?? makeTempDataDir();
  const fleet = createFleet({
    logger: pino({ level: process.env.FLEETDESK_TEST_LOG ?? 'silent' }),
    mdns: false,
    ...overrides,
    dataDir,
    device: { host: '127.0.0.1', port: 0, ...overrides.device },
    admin: { port: 0, ...overrides.admin },
  });
  await fleet.start();
  const deviceUrl = `http://127.0.0.1:${fleet.deviceAddress.port}`;
  const adminUrl = fleet.adminUrl;
  const withAdminToken = (init: RawRequest = {}): RawRequest => ({
    ...init,
    headers: { Authorization: `Bearer ${fleet.adminToken}`, ...init.headers },
  });
  return {
    fleet,
    dataDir,
    deviceUrl,
    adminUrl,
    device: (path, init) => httpRequest(deviceUrl, path, init),
    admin: (path, init) => httpRequest(adminUrl, path, withAdminToken(init)),
    stop: () => fleet.stop(),
    async dispose() {
      await fleet.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers a device over v1 and returns its token. */
export async function registerDevice(t: TestFleet, mac: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await t.device(`/api/v1/devices/${mac}/register`, { body });
  if (res.status !== 201) throw new Error(`register ${mac}: ${res.status} ${res.text}`);
  return res.json.token as string;
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/**
 * Resolves once exactly `count` long-polls are parked on the server (for one device, or all when no
 * id is given). Tests wait on this state, never on a delay: a change sent before the poll is
 * parked would be answered by the first check-in and never exercise the wake-up.
 */
export async function untilParked(t: TestFleet, count: number, id?: string): Promise<void> {
  await vi.waitFor(
    () => {
      const parked = t.fleet.services.protocol.parkedCount(id);
      if (parked !== count) throw new Error(`${parked} long-polls parked${id ? ` for ${id}` : ''}, waiting for ${count}`);
    },
    { timeout: 10_000, interval: 5 },
  );
}
