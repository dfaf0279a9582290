/** Graceful stop loses nothing: acknowledged admin changes and write-behind liveness survive a restart. */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, makeTempDataDir, registerDevice, startTestFleet, untilParked } from '../../helpers/fleet';

const dataDir = makeTempDataDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('keeps admin changes and the last check-in across stop and restart, with the same server id', async () => {
    // A long flush interval proves stop() flushes rather than the timer having done it.
    const first = await startTestFleet({ dataDir, timers: { flushMs: 60_000 } });
    const serverId = first.fleet.serverId;
    const token = await registerDevice(first, 'aa:bb:cc:00:00:42');
    await first.admin('/api/devices/aa:bb:cc:00:00:42', { method: 'PATCH', body: { name: 'Greenhouse', tags: ['garden'] } });
    const put = await first.admin('/api/devices/aa:bb:cc:00:00:42/config', { method: 'PUT', body: { overrides: { fan: 3 } } });
    const checkin = await first.device('/api/v1/devices/aa:bb:cc:00:00:42/checkin', {
      headers: bearer(token),
      body: { cfgsn: put.json.cfgsn, rssi: -48, heap: 12345, uptime: 777, ip: '10.1.1.1', ssid: 'greenhouse' },
    });
    expect(checkin.status).toBe(200);
    const seen = (await first.admin('/api/devices/aa:bb:cc:00:00:42')).json;
    expect(seen.lastSeenAt).not.toBeNull();

    // a long-poll in flight must not hold the stop up
    const held = first.device('/api/v1/devices/aa:bb:cc:00:00:42/checkin?wait=60', { headers: bearer(token), body: { cfgsn: put.json.cfgsn } });
    await untilParked(first, 1, 'aa:bb:cc:00:00:42');
    const stopStarted = Date.now();
    await first.stop();
    expect(Date.now() - stopStarted).toBeLessThan(5_000);
    expect((await held).status).toBe(200);
    await first.stop(); // idempotent

    const second = await startTestFleet({ dataDir });
    try {
      expect(second.fleet.serverId).toBe(serverId);
      const detail = (await second.admin('/api/devices/aa:bb:cc:00:00:42')).json;
      expect(detail).toMatchObject({
        name: 'Greenhouse', tags: ['garden'], rssi: -48, heap: 12345, uptime: 777, ip: '10.1.1.1', ssid: 'greenhouse',
        cfgsnReported: put.json.cfgsn,
      });
      // the held long-poll was a check-in too, so last-seen may be a little later than `seen`
      expect(detail.lastSeenAt).toBeGreaterThanOrEqual(seen.lastSeenAt);
      expect((await second.admin('/api/devices/aa:bb:cc:00:00:42/config')).json.effective).toEqual({ fan: 3 });
      const again = await second.device('/api/v1/devices/aa:bb:cc:00:00:42/checkin', { headers: bearer(token), body: {} });
      expect(again.status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('names the flag to change when a port is taken', async () => {
    const holder = await startTestFleet();
    try {
      const { createFleet, FleetStartError } = await import('../../../src/main/core');
      const { pino } = await import('pino');
      const clash = createFleet({
        dataDir: makeTempDataDir(), mdns: false, logger: pino({ level: 'silent' }),
        device: { host: '127.0.0.1', port: holder.fleet.deviceAddress.port }, admin: { port: 0 },
      });
      const err = await clash.start().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(FleetStartError);
      expect((err as InstanceType<typeof FleetStartError>).flag).toBe('--device-port');
      expect((err as Error).message).not.toContain('\n');

      const adminClash = createFleet({
        dataDir: makeTempDataDir(), mdns: false, logger: pino({ level: 'silent' }),
        device: { host: '127.0.0.1', port: 0 }, admin: { port: Number(new URL(holder.adminUrl).port) },
      });
      const err2 = await adminClash.start().then(() => null, (e: unknown) => e);
      expect((err2 as InstanceType<typeof FleetStartError>).flag).toBe('--admin-port');
    } finally {
      await holder.dispose();
    }
  });
});
