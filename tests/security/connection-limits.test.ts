/**
 * The device listener bounds its connections: per client address and in total, and a client that
 * sends its headers (or body) too slowly is cut, not kept until the fd limit.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEVICE_CONNECTION_LIMITS } from '../../src/main/core/http/listen';
import { startTestFleet, type TestFleet } from '../helpers/fleet';

let t: TestFleet | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await t?.dispose();
  t = null;
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}
const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/** Sends a request on the socket and resolves with the status line of the reply. */
function statusLine(socket: Socket): Promise<string> {
  socket.write('GET /api/devices/aa HTTP/1.1\r\nHost: x\r\n\r\n');
  return new Promise((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString().split('\r\n')[0]!)));
}

describe('device listener connection limits', () => {
  it('have sane defaults', () => {
    expect(DEFAULT_DEVICE_CONNECTION_LIMITS.perAddress).toBeGreaterThanOrEqual(4);
    expect(DEFAULT_DEVICE_CONNECTION_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(15_000);
  });

  it('cut a client that sends its headers slowly', async () => {
    t = await startTestFleet({ deviceConnections: { ...DEFAULT_DEVICE_CONNECTION_LIMITS, headersTimeoutMs: 1000, exemptLoopback: false } });
    const socket = await open(t.fleet.deviceAddress.port);
    socket.write('POST /api/v1/devices/aa:bb:cc:dd:ee:ff/checkin HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    // one header byte every 200 ms: never finishing, always "active"
    const drip = setInterval(() => socket.writable && socket.write('X'), 200);
    await closed(socket);
    clearInterval(drip);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('cut a client that sends its body slowly', async () => {
    t = await startTestFleet({ deviceConnections: { ...DEFAULT_DEVICE_CONNECTION_LIMITS, requestTimeoutMs: 1500, exemptLoopback: false } });
    const socket = await open(t.fleet.deviceAddress.port);
    socket.write('POST /api/v1/devices/aa:bb:cc:dd:ee:ff/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const started = Date.now();
    const drip = setInterval(() => socket.writable && socket.write(' '), 200);
    await closed(socket);
    clearInterval(drip);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('refuse connections beyond the per-address limit, keeping the others', async () => {
    t = await startTestFleet({ deviceConnections: { ...DEFAULT_DEVICE_CONNECTION_LIMITS, perAddress: 3, exemptLoopback: false } });
    const port = t.fleet.deviceAddress.port;
    const kept = [await open(port), await open(port), await open(port)];
    const extra = await open(port);
    await closed(extra);
    expect(await statusLine(kept[0]!)).toMatch(/^HTTP\/1.1 \d{3}/);
    // a slot freed is a slot available again (once the server has seen the close: retry until then)
    kept[1]!.destroy();
    await closed(kept[1]!);
    let answered: string | null = null;
    for (let attempt = 0; attempt < 100 && answered === null; attempt++) {
      const again = await open(port);
      answered = await Promise.race([statusLine(again), closed(again).then(() => null)]);
    }
    expect(answered).toMatch(/^HTTP\/1.1 \d{3}/);
  });

  it('refuse connections beyond the total limit', async () => {
    t = await startTestFleet({ deviceConnections: { ...DEFAULT_DEVICE_CONNECTION_LIMITS, total: 2, perAddress: 100, exemptLoopback: false } });
    const port = t.fleet.deviceAddress.port;
    const kept = [await open(port), await open(port)];
    const extra = await open(port);
    await closed(extra);
    expect(await statusLine(kept[1]!)).toMatch(/^HTTP\/1.1 \d{3}/);
  });
});
