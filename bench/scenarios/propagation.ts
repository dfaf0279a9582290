/**
 * Config propagation: P long-polling devices in one profile; the operator changes the profile's
 * defaults once; measured per device from just before the admin PUT to the moment the device's
 * ack (the check-in reporting the new cfgsn) leaves it; "all in sync" is then confirmed by the server.
 */
import type { DeviceList } from '../../src/shared/api';
import type { AdminClient } from '../../src/simulator/admin-client';
import { SimulatedFleet } from '../../src/simulator/fleet';
import type { SimulatorState } from '../../src/simulator/state-file';
import { seededRandom } from '../../src/simulator/telemetry';
import { summarize, type LatencySummary } from '../stats';

export interface PropagationResult {
  devices: number;
  /** PUT → device applied the new config */
  delivered: LatencySummary;
  /** PUT → device sent its ack */
  acked: LatencySummary;
  /** PUT → the admin API lists every device of the profile as in sync */
  serverConfirmedMs: number;
  putMs: number;
}

const until = async (condition: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export async function configPropagation(deviceUrl: string, admin: AdminClient, state: SimulatorState, count: number): Promise<PropagationResult> {
  const fleet = new SimulatedFleet({ server: deviceUrl, count, state, interval: 30, wait: 60, random: seededRandom(7) });
  const ids = fleet.devices.map((d) => d.mac);
  const profile = await admin.request<{ id: number }>('POST', '/api/profiles', { name: `bench-propagation-${Date.now()}`, description: 'benchmark', defaults: { round: 0 } });
  await admin.assignProfile(profile.id, ids);
  fleet.start(0);
  try {
    const settled = () => fleet.devices.every((d) => d.state === 'active' && !d.configPending && d.status === 'online');
    await until(settled, 60_000, 'the long-polling devices to sync');
    await new Promise((r) => setTimeout(r, 1_000)); // every device is now holding a long-poll
    // one warm-up change (first use of this path in the process), then the measured one
    await change(admin, profile.id, 1, fleet, ids);
    await new Promise((r) => setTimeout(r, 1_000));
    return await change(admin, profile.id, 2, fleet, ids);
  } finally {
    await fleet.stop();
  }
}

async function change(admin: AdminClient, profileId: number, round: number, fleet: SimulatedFleet, ids: string[]): Promise<PropagationResult> {
  const delivered: number[] = [];
  const acked: number[] = [];
  const before = new Map(fleet.devices.map((d) => [d, d.cfgsn]));
  const listeners = fleet.devices.map((device) => {
    const onConfig = () => delivered.push(performance.now() - t0);
    const onSent = ({ cfgsn }: { cfgsn: number }) => {
      if (cfgsn > before.get(device)! && !acknowledged.has(device)) {
        acknowledged.add(device);
        acked.push(performance.now() - t0);
      }
    };
    device.on('config', onConfig);
    device.on('sent', onSent);
    return () => {
      device.off('config', onConfig);
      device.off('sent', onSent);
    };
  });
  const acknowledged = new Set<unknown>();
  const t0 = performance.now();
  await admin.setProfileDefaults(profileId, { round, label: `round ${round}` });
  const putMs = performance.now() - t0;
  try {
    await until(() => acknowledged.size === fleet.devices.length, 30_000, `acks of round ${round} (${acknowledged.size}/${fleet.devices.length})`);
    // the server's view: the least-in-sync device of the profile first
    let serverConfirmedMs = NaN;
    while (performance.now() - t0 < 30_000) {
      const list = await admin.request<DeviceList>('GET', `/api/devices?profileId=${profileId}&sort=inSync&order=asc&limit=1`);
      if (list.total === ids.length && list.items[0]?.inSync) {
        serverConfirmedMs = performance.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return { devices: fleet.devices.length, delivered: summarize(delivered), acked: summarize(acked), serverConfirmedMs, putMs };
  } finally {
    for (const off of listeners) off();
  }
}
