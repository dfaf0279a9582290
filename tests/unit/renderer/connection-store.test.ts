import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, describe, expect, it } from 'vitest';
import { api } from '../../../src/renderer/src/api/client';
import { configureApi } from '../../../src/renderer/src/api/http';
import { useConnectionStore } from '../../../src/renderer/src/stores/connection';
import { useFleetStore } from '../../../src/renderer/src/stores/fleet';
import { useProfilesStore } from '../../../src/renderer/src/stores/profiles';
import { startHeadless } from '../../e2e/support/headless';
import { eventually } from './support';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const dataDir = mkdtempSync(join(tmpdir(), 'fleetdesk-conn-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('connection store', () => {
  it('reports an unreachable core, reconnects by itself and refetches what it missed', async () => {
    setActivePinia(createPinia());
    const adminPort = await freePort();
    const adminToken = 'connection-test-token-0123456789';
    const options = { entry: 'source' as const, dataDir, adminPort, adminToken };
    let app = await startHeadless(options);
    configureApi({ baseUrl: app.adminUrl, headers: { Authorization: `Bearer ${adminToken}` } });
    const connection = useConnectionStore();
    const fleet = useFleetStore();
    const profiles = useProfilesStore();
    fleet.wire();
    profiles.wire();
    connection.start([100, 200]);
    try {
      await fleet.load();
      await eventually(() => expect(connection.streamState).toBe('open'));
      expect(connection.unreachable).toBe(false);

      await app.stop();
      await eventually(() => expect(connection.unreachable).toBe(true));
      await expect(api.server.info()).rejects.toMatchObject({ code: 'unreachable' });

      app = await startHeadless(options);
      // a change made before the stream is back must show after the reconnect
      await api.profiles.create({ name: 'made-while-away' });
      await eventually(() => {
        expect(connection.streamState).toBe('open');
        expect(connection.unreachable).toBe(false);
        expect(connection.reconnects).toBe(1);
        expect(profiles.items.map((p) => p.name)).toContain('made-while-away');
      }, 10_000);
    } finally {
      connection.stop();
      await app.stop();
    }
  });
});
