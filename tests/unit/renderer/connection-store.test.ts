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
import { AdminRelay } from './admin-relay';
import { eventually } from './support';

const dataDir = mkdtempSync(join(tmpdir(), 'fleetdesk-conn-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('connection store', () => {
  it('reports an unreachable core, reconnects by itself and refetches what it missed', async () => {
    setActivePinia(createPinia());
    // The client keeps one address while the app behind it stops and starts on a fresh port.
    const relay = await AdminRelay.start();
    const adminToken = 'connection-test-token-0123456789';
    const options = { entry: 'source' as const, dataDir, adminToken };
    let app = await startHeadless(options);
    relay.pointAt(app.adminUrl);
    configureApi({ baseUrl: relay.url, headers: { Authorization: `Bearer ${adminToken}` } });
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
      relay.pointAt(null);
      await eventually(() => expect(connection.unreachable).toBe(true));
      await expect(api.server.info()).rejects.toMatchObject({ code: 'unreachable' });

      app = await startHeadless(options);
      relay.pointAt(app.adminUrl);
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
      await relay.close();
    }
  }, 90_000); // starts the app from source twice: slow on a busy machine
});
