/**
 * The request deadline of a listener, driven by hand: one shared sweep (held by the test through
 * the scheduler, with a clock the test moves) cuts a client whose request is still arriving past
 * its deadline, and leaves alone a request that has arrived (a held long-poll) and an idle
 * keep-alive connection. Real sockets on 127.0.0.1; no waiting on real time.
 */
import { connect, type Socket } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type Listener } from '../../src/main/core/http/listen';
import type { Scheduler } from '../../src/main/core/scheduler';

const TIMEOUT_MS = 20_000;

let listener: Listener | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await listener?.close(100);
  listener = null;
});

/** A listener whose deadline sweep runs only when the test calls `sweep()`, at the test's time. */
async function startListener() {
  let now = 0;
  let sweep: () => void = () => {
    throw new Error('the listener did not schedule its sweep');
  };
  const scheduler: Scheduler = {
    every(_ms, work) {
      sweep = work;
      return () => undefined;
    },
  };
  const arrived: string[] = [];
  const held: express.Response[] = [];
  const bodyBytes = { count: 0 };
  const app = express();
  // reads the body, then holds the answer (as a long-poll does) until the test releases it
  app.post('/hold', (req, res) => {
    arrived.push('headers');
    req.on('data', (chunk: Buffer) => (bodyBytes.count += chunk.length));
    req.on('end', () => {
      arrived.push('body');
      held.push(res);
    });
  });
  app.get('/quick', (_req, res) => {
    res.json({ ok: true });
  });
  const limits = { perAddress: 100, total: 100, headersTimeoutMs: TIMEOUT_MS, requestTimeoutMs: TIMEOUT_MS, exemptLoopback: false };
  listener = await listen(app, '127.0.0.1', 0, '--device-port', limits, { scheduler, now: () => now });
  return {
    port: listener.port,
    arrived,
    held,
    bodyBytes,
    /** moves the clock and runs one sweep */
    advance(ms: number) {
      now += ms;
      sweep();
    },
  };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

/** Resolves once `test` holds (checked on every event-loop turn, for at most 10 s). */
async function until(test: () => boolean, what: string): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (!test() && Date.now() < giveUpAt) await new Promise((r) => setImmediate(r));
  if (!test()) throw new Error(`never happened: ${what}`);
}

const isClosed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('request deadlines (one shared sweep)', () => {
  it('cut a client whose body is still arriving past the deadline, and not before it', async () => {
    const t = await startListener();
    const socket = await open(t.port);
    let closed = false;
    void isClosed(socket).then(() => (closed = true));
    socket.write('POST /hold HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    await until(() => t.arrived.includes('headers'), 'the request reached the app');

    await until(() => t.bodyBytes.count === 1, 'the first body byte arrived');
    t.advance(TIMEOUT_MS / 2);
    t.advance(TIMEOUT_MS / 2 - 1);
    // not cut yet: the next byte still reaches the app
    socket.write(' ');
    await until(() => t.bodyBytes.count === 2, 'a body byte sent just before the deadline arrived');
    expect(closed).toBe(false);

    t.advance(TIMEOUT_MS);
    await isClosed(socket);
    expect(t.arrived).not.toContain('body');
  });

  it('leave a request that has arrived alone however long its answer is held, and idle keep-alive connections', async () => {
    const t = await startListener();
    const holding = await open(t.port);
    let holdingClosed = false;
    void isClosed(holding).then(() => (holdingClosed = true));
    holding.write('POST /hold HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
    await until(() => t.held.length === 1, 'the body arrived');

    const idle = await open(t.port);
    let idleClosed = false;
    void isClosed(idle).then(() => (idleClosed = true));
    let reply = '';
    idle.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    idle.write('GET /quick HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => reply.includes('{"ok":true}'), 'the quick request was answered');

    for (let i = 0; i < 10; i++) t.advance(TIMEOUT_MS);
    await new Promise((r) => setImmediate(r));
    expect(holdingClosed).toBe(false);
    expect(idleClosed).toBe(false);

    // and the held answer still reaches its client
    let answer = '';
    holding.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    t.held[0]!.json({ released: true });
    await until(() => answer.includes('{"released":true}'), 'the held answer arrived');
  });
});
