/**
 * A loopback HTTP relay on a port the test holds for its whole run, forwarding to whatever port the
 * app listens on right now. A test that restarts the app "at the same address" then never has to
 * release a port and hope to bind it again (another process may take it in between). With no app
 * behind it the relay drops the connection, which a client sees as the core being unreachable.
 * Host and Origin are rewritten to the app's own, as the admin API's loopback guard requires.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';

export class AdminRelay {
  private target: number | null = null;

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<AdminRelay> {
    let relay: AdminRelay | null = null;
    const server = createServer((req, res) => {
      const port = relay?.target ?? null;
      if (port === null) {
        req.socket.destroy();
        return;
      }
      const headers: IncomingHttpHeaders = { ...req.headers, host: `127.0.0.1:${port}` };
      if (headers.origin !== undefined) headers.origin = `http://127.0.0.1:${port}`;
      const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent: false }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
        // the app went away mid-reply (a stream cut by its stop): cut ours too
        reply.on('close', () => {
          if (!reply.complete) res.destroy();
        });
      });
      upstream.on('error', () => req.socket.destroy());
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    relay = new AdminRelay(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    return relay;
  }

  /** Forward to this admin URL from now on; null: nothing is behind the relay. */
  pointAt(adminUrl: string | null): void {
    this.target = adminUrl === null ? null : Number(new URL(adminUrl).port);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
}
