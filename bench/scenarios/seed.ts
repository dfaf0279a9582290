/**
 * Puts N registered devices into the fleet the way they arrive in life: each registers through the
 * device protocol and checks in once (so it reports the config it applied), from its own loopback
 * address, many at a time.
 */
import { SimulatedFleet } from '../../src/simulator/fleet';
import type { SimulatorState } from '../../src/simulator/state-file';
import { seededRandom } from '../../src/simulator/telemetry';

export async function seedFleet(deviceUrl: string, count: number, concurrency = 64): Promise<{ fleet: SimulatedFleet; state: SimulatorState; seconds: number }> {
  const random = seededRandom(42);
  const state: SimulatorState = { version: 1, macPrefix: 0xbe, devices: [] };
  const fleet = new SimulatedFleet({ server: deviceUrl, count, state, interval: 30, wait: 0, random });
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < fleet.devices.length) {
      const device = fleet.devices[next++]!;
      await device.register();
      await device.checkin();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  fleet.save();
  const failed = fleet.devices.filter((d) => d.state !== 'active');
  if (failed.length > 0) throw new Error(`${failed.length} device(s) did not become active while seeding (first: ${failed[0]!.mac}, ${failed[0]!.lastError?.message})`);
  return { fleet, state, seconds: (performance.now() - started) / 1000 };
}
