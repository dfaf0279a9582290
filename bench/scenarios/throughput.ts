/**
 * Check-in throughput: autocannon, N connections, each request a check-in of the next device in
 * turn (real token, realistic body, in sync so the reply carries no config) — next to the floors.
 */
import type { SimulatedDevice } from '../../src/simulator/device';
import { measureThroughput, type ThroughputResult } from '../load';

export function checkinThroughput(deviceUrl: string, devices: SimulatedDevice[], connections: number, durationSeconds: number, warmupSeconds: number): Promise<ThroughputResult> {
  const prepared = devices.map((d, i) => ({
    path: `/api/v1/devices/${d.mac}/checkin`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
    body: JSON.stringify({
      cfgsn: d.cfgsn, ip: d.ip, ssid: d.ssid, rssi: -60 - (i % 25), heap: 30_000 + (i % 4_000), uptime: 600 + i,
      fw: { version: d.fwVersion }, acks: [],
    }),
  }));
  let turn = 0;
  return measureThroughput({
    url: deviceUrl, connections, durationSeconds, warmupSeconds,
    nextRequest: () => ({ method: 'POST', ...prepared[turn++ % prepared.length]! }),
  });
}

export function floorThroughput(url: string, connections: number, durationSeconds: number, warmupSeconds: number): Promise<ThroughputResult> {
  const body = JSON.stringify({ cfgsn: 1, rssi: -60, heap: 30_000, uptime: 600, fw: { version: '1.0.0' }, acks: [] });
  return measureThroughput({
    url, connections, durationSeconds, warmupSeconds,
    nextRequest: () => ({ method: 'POST', path: '/hello', headers: { 'content-type': 'application/json' }, body }),
  });
}
