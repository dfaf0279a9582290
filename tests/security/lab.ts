/**
 * A hostile LAN in two network namespaces: the FleetDesk core runs in host A (server fixture), LAN
 * clients in host B (client fixture), joined by a veth pair on 10.77.1.0/24. Host B can send from
 * further addresses (other /24 networks of 10.77.0.0/16) so per-network budgets can be exercised;
 * none of them is loopback, so the loopback exemption of the registration limits never applies.
 */
import { afterAll, beforeAll } from 'vitest';
import path from 'node:path';
import type { FleetOptions } from '../../src/main/core';
import { TwoHosts } from '../mdns/netns';
import { JsonLinesProcess, NODE_TS, type Line } from '../mdns/processes';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const PORT = 3000;

export interface LabReply { status: number; json: any; text?: string; headers: Record<string, string | string[] | undefined>; [key: string]: any } // eslint-disable-line @typescript-eslint/no-explicit-any -- replies are asserted field by field

export class SecurityLab {
  readonly hosts = new TwoHosts();
  private server!: JsonLinesProcess;
  private client!: JsonLinesProcess;
  private extraClients: JsonLinesProcess[] = [];
  private nextId = 1;
  private addresses = new Set<string>();

  /** Builds the namespaces and starts the core (fleet options as JSON) and one LAN client. */
  async start(options: Partial<FleetOptions> = {}): Promise<this> {
    this.hosts.create();
    const link = this.hosts.links[0]!;
    // every 10.77.x.y of host B is reachable from host A over the one link
    this.hosts.exec(this.hosts.nsA, ['ip', 'route', 'add', '10.77.0.0/16', 'dev', link.ifA]);
    this.server = JsonLinesProcess.spawn(this.hosts, this.hosts.nsA, 'server', [
      ...NODE_TS, path.join(FIXTURES, 'server.ts'), '--port', String(PORT), '--options', JSON.stringify(options),
    ]);
    await this.server.waitFor('server ready', (l) => l.event === 'ready', 60_000);
    this.client = await this.startClient();
    return this;
  }

  /** The address host B sends from by default. */
  get clientAddress(): string {
    return this.hosts.links[0]!.ipB;
  }

  /** Adds an address to host B (e.g. 10.77.20.5) to send from. */
  addClientAddress(address: string): string {
    if (this.addresses.has(address)) return address;
    const link = this.hosts.links[0]!;
    this.hosts.exec(this.hosts.nsB, ['ip', 'addr', 'add', `${address}/32`, 'dev', link.ifB]);
    this.addresses.add(address);
    return address;
  }

  /** Another client process in host B (a second load generator, or the "real device"). */
  async startClient(): Promise<JsonLinesProcess> {
    const client = JsonLinesProcess.spawn(this.hosts, this.hosts.nsB, 'client', [
      ...NODE_TS, path.join(FIXTURES, 'client.ts'), '--server', `http://${this.hosts.links[0]!.ipA}:${PORT}`,
    ]);
    await client.waitFor('client ready', (l) => l.event === 'ready', 60_000);
    if (this.client) this.extraClients.push(client);
    return client;
  }

  private async ask(proc: JsonLinesProcess, cmd: object, timeoutMs = 30_000): Promise<LabReply> {
    const id = this.nextId++;
    const from = proc.lines.length;
    proc.send({ id, ...cmd });
    const line: Line = await proc.waitFor(`reply ${id}`, (l) => l.event === 'reply' && l.id === id, timeoutMs, from);
    return line as unknown as LabReply;
  }

  /** An admin API call on the server's host (loopback there, with the admin token). */
  admin(method: string, apiPath: string, body?: unknown): Promise<LabReply> {
    return this.ask(this.server, { op: 'admin', method, path: apiPath, body });
  }

  /** A device-listener call from the server's own loopback. */
  local(method: string, apiPath: string, body?: unknown, headers?: Record<string, string>): Promise<LabReply> {
    return this.ask(this.server, { op: 'local', method, path: apiPath, body, headers });
  }

  /** A device-listener call from host B (from = one of its addresses). */
  lan(method: string, apiPath: string, init: { body?: unknown; headers?: Record<string, string>; from?: string } = {}): Promise<LabReply> {
    return this.ask(this.client, { op: 'request', method, path: apiPath, ...init });
  }

  /** Runs a client op on a given client process (flood, device). */
  run(client: JsonLinesProcess, cmd: object, timeoutMs = 60_000): Promise<LabReply> {
    return this.ask(client, cmd, timeoutMs);
  }

  async stop(): Promise<void> {
    await Promise.all([this.server, this.client, ...this.extraClients].filter(Boolean).map((p) => p.stop()));
    this.hosts.destroy();
  }
}

/** One lab for a describe block: namespaces and core up before its tests, torn down after them. */
export function useSecurityLab(): SecurityLab {
  const lab = new SecurityLab();
  beforeAll(async () => {
    await lab.start();
  }, 120_000);
  afterAll(async () => {
    await lab.stop();
  });
  return lab;
}
