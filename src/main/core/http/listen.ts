/**
 * Listening and graceful closing of the two HTTP servers. A taken port becomes a FleetStartError
 * naming the command-line flag to change, so the CLI can print one useful line.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Scheduler } from '../scheduler';
import { isLoopback } from '../services/admission/network';
import { RequestDeadlines } from './request-deadlines';

export type PortFlag = '--device-port' | '--admin-port' | '--metrics-port';

export class FleetStartError extends Error {
  constructor(
    readonly flag: PortFlag,
    message: string,
  ) {
    super(message);
    this.name = 'FleetStartError';
  }
}

/** What one listener accepts: connections per client address and in total, and how long a client may take. */
export interface ConnectionLimits {
  /** open connections per client address (a device needs two at most: its long-poll and a download) */
  perAddress: number;
  /** open connections in all; beyond it new ones are closed at once */
  total: number;
  /** to receive a request's headers; a client dripping them slower is cut */
  headersTimeoutMs: number;
  /** to receive a whole request (headers and body; a held long-poll reply is not counted) */
  requestTimeoutMs: number;
  /** the operator's own tools (simulator, benchmark) are not held to the per-address limit */
  exemptLoopback: boolean;
}

/** Device calls are a few KiB: a LAN client gets seconds, not minutes, to send one. */
export const DEFAULT_DEVICE_CONNECTION_LIMITS: ConnectionLimits = {
  perAddress: 16, total: 20_000, headersTimeoutMs: 10_000, requestTimeoutMs: 20_000, exemptLoopback: true,
};

/** The admin listener is loopback only; firmware uploads of a few MiB may take a while. */
const ADMIN_LIMITS: ConnectionLimits = {
  perAddress: Number.POSITIVE_INFINITY, total: Number.POSITIVE_INFINITY, headersTimeoutMs: 30_000, requestTimeoutMs: 120_000, exemptLoopback: true,
};

export interface Listener {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish for up to graceMs, then cuts what is left. */
  close(graceMs?: number): Promise<void>;
}

export interface ListenOptions {
  /** runs the sweep of request deadlines (tests hold it) */
  scheduler?: Scheduler;
  /** monotonic milliseconds of that sweep */
  now?: () => number;
  /** called as closing starts (e.g. to answer requests the handler holds) */
  beforeClose?: () => void;
}

export async function listen(app: RequestListener, host: string, port: number, flag: PortFlag, limits: ConnectionLimits = ADMIN_LIMITS, options: ListenOptions = {}): Promise<Listener> {
  const sockets = new Set<Socket>();
  const deadlines = new RequestDeadlines(sockets, { timeoutMs: limits.requestTimeoutMs, scheduler: options.scheduler, now: options.now });
  // Deadlines are stamped here rather than in a second 'request' listener: with two listeners,
  // every request's emit copies the listener array.
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    deadlines.started(req);
    app(req, res);
  };
  // Node enforces the header and request timeouts on its periodic connection check, every 30 s by
  // default: a slow client would live that long past its timeout. Check at least every second.
  const server = createServer({ connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs / 2) }, onRequest);
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  // keep idle keep-alive sockets short
  server.keepAliveTimeout = 5_000;
  const perAddress = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? '';
    const counted = !(limits.exemptLoopback && isLoopback(address));
    const open = perAddress.get(address) ?? 0;
    // Closed before a byte is read: a flood costs an accept and a close, nothing more.
    if (sockets.size >= limits.total || (counted && open >= limits.perAddress)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    if (counted) perAddress.set(address, open + 1);
    socket.once('close', () => {
      sockets.delete(socket);
      if (!counted) return;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      deadlines.stop();
      if (err.code === 'EADDRINUSE') reject(new FleetStartError(flag, `port ${port} on ${host} is already in use; choose another with ${flag}`));
      else if (err.code === 'EACCES') reject(new FleetStartError(flag, `no permission to listen on port ${port}; choose a port above 1023 with ${flag}`));
      else if (err.code === 'EADDRNOTAVAIL') reject(new FleetStartError(flag, `address ${host} is not available on this machine`));
      else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });

  const bound = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    server,
    host,
    port: bound.port,
    close(graceMs = 3_000) {
      closing ??= new Promise<void>((resolve) => {
        options.beforeClose?.();
        const cutTimer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        // Keep-alive sockets turn idle as their last reply (e.g. an ended long-poll) goes out: close them then.
        const idleSweep = setInterval(() => server.closeIdleConnections(), 25);
        server.close(() => {
          deadlines.stop();
          clearTimeout(cutTimer);
          clearInterval(idleSweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
