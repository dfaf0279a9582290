/**
 * Check-in throughput next to its floors: autocannon, N connections, each fleet request a check-in
 * of a different device (real token, realistic body, in sync so the reply carries no config);
 * the floors get a request list of the same size and shape on their trivial route.
 * Each connection cycles through REQUEST_SET devices: autocannon copies the request list per
 * connection, and 50 copies of 10 000 prebuilt requests would make the generator the subject.
 */
import type { SimulatedDevice } from '../../src/simulator/device';
import type { PreparedRequest } from '../load';

export const REQUEST_SET = 1_000;

export function checkinRequests(devices: SimulatedDevice[]): PreparedRequest[] {
  // spread the set over the whole fleet rather than its first thousand
  const stride = Math.max(1, Math.floor(devices.length / REQUEST_SET));
  const requests: PreparedRequest[] = [];
  for (let i = 0; i < devices.length && requests.length < REQUEST_SET; i += stride) {
    const d = devices[i]!;
    requests.push({
      method: 'POST',
      path: `/api/v1/devices/${d.mac}/checkin`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${d.token}` },
      body: JSON.stringify({ cfgsn: d.cfgsn, ip: d.ip, ssid: d.ssid, rssi: -60 - (i % 25), heap: 30_000 + (i % 4_000), uptime: 600 + i, fw: { version: d.fwVersion }, acks: [] }),
    });
  }
  return requests;
}

/** The same number of requests, same headers and body sizes, to the floor's trivial route. */
export function floorRequests(): PreparedRequest[] {
  return Array.from({ length: REQUEST_SET }, (_, i) => ({
    method: 'POST',
    path: '/hello',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${'x'.repeat(43)}` },
    body: JSON.stringify({ cfgsn: 1, ip: '192.0.2.1', ssid: 'fleetdesk-sim', rssi: -60 - (i % 25), heap: 30_000 + i, uptime: 600 + i, fw: { version: '1.0.0' }, acks: [] }),
  }));
}
