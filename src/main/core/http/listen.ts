/**
 * Listening and graceful closing of the two HTTP servers. A taken port becomes a FleetStartError
 * naming the command-line flag to change, so the CLI can print one useful line.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Express } from 'express';

export type PortFlag = '--device-port' | '--admin-port';

export class FleetStartError extends Error {
  constructor(
    readonly flag: PortFlag,
    message: string,
  ) {
    super(message);
    this.name = 'FleetStartError';
  }
}

export interface Listener {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish for up to graceMs, then cuts what is left. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(app: Express, host: string, port: number, flag: PortFlag): Promise<Listener> {
  const server = createServer(app);
  // Long-polls last up to 60 s plus network slack; keep idle keep-alive sockets short.
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
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
        const cutTimer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        // Keep-alive sockets turn idle as their last reply (e.g. an ended long-poll) goes out: close them then.
        const idleSweep = setInterval(() => server.closeIdleConnections(), 25);
        server.close(() => {
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
