import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ORIGINAL_CREATE_TABLE } from '../fixtures/original-server';
import { adminApi, expect, newDevice, open, snap, test } from './support/fixtures';

test.describe('replace a device; the original database', () => {
  // several round trips through the UI and the simulator: more than the default minute on a loaded machine
  test.describe.configure({ timeout: 150_000 });

  test.afterEach(async () => {
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'open' });
  });

  test('new hardware waiting in pending takes over a dead device from its page', async ({ page }) => {
    const dead = newDevice();
    await dead.register();
    await adminApi('PATCH', `/api/devices/${encodeURIComponent(dead.mac)}`, { name: 'Cold room', location: 'Back store', tags: ['cold'] });
    await adminApi('PATCH', '/api/settings', { registrationPolicy: 'approve' });
    const fresh = newDevice();
    expect((await fresh.register()).state).toBe('pending');

    await open(page, `/devices/${encodeURIComponent(dead.mac)}`);
    await page.getByTestId('device-more').click();
    await page.locator('.n-dropdown-option').filter({ hasText: 'Replace…' }).click();
    const dialog = page.getByTestId('replace-dialog');
    await dialog.getByTestId('replace-with').click();
    await page.locator('.n-base-select-option').filter({ hasText: fresh.mac }).click();
    await snap(page, 'replace-dialog');
    await dialog.getByTestId('replace-confirm').click();
    await expect(page.getByTestId('device-title')).toHaveText('Cold room');
    await expect(page.locator('header .mono').first()).toHaveText(fresh.mac);
    await snap(page, 'replaced-device');
    expect((await fresh.checkin()).state).toBe('active');
    const old = await adminApi<{ state: string; notes: string }>('GET', `/api/devices/${encodeURIComponent(dead.mac)}`);
    expect(old.state).toBe('blocked');
    expect(old.notes).toContain(`Replaced by ${fresh.mac}`);
  });

  test('restDB.sqlite of the original server: preview, then import', async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetdesk-e2e-seed-'));
    try {
      const file = join(dir, 'restDB.sqlite');
      const db = new Database(file);
      db.exec(ORIGINAL_CREATE_TABLE);
      const seen = 'Tue Mar 05 2019 14:03:11 GMT+0100 (CET)';
      db.exec(`INSERT INTO devices VALUES ('a4cf12e00001', 'Kitchen ''lamp''', '${seen}', 'home', '192.168.1.50', 4, 0, '{"on":true}', '1551790000000')`);
      db.exec(`INSERT INTO devices VALUES ('a4cf12e00001', 'Kitchen lamp (old row)', 'Mon Mar 04 2019 10:00:00 GMT+0100 (CET)', 'home', '192.168.1.49', 3, 0, '{}', '1551790000000')`);
      db.exec(`INSERT INTO devices VALUES ('a4cf12e00002', 'Garage door', '${seen}', 'home', '192.168.1.51', 2, 0, 'open=1', '1551790000000')`);
      db.close();

      await open(page, '/settings');
      const card = page.getByTestId('seed-import');
      await card.getByTestId('seed-file').setInputFiles({ name: 'restDB.sqlite', mimeType: 'application/octet-stream', buffer: readFileSync(file) });
      await expect(card.getByTestId('seed-report')).toContainText('Would create 2');
      await expect(card.getByTestId('seed-report')).toContainText('merged 1 duplicate rows');
      await expect(card.getByTestId('seed-report')).toContainText('kept verbatim');
      await card.scrollIntoViewIfNeeded();
      await snap(page, 'seed-preview');
      await card.getByTestId('seed-run').click();
      await expect(card.getByTestId('seed-report')).toContainText('Created 2');
      const lamp = await adminApi<{ name: string; cfgsn: number; protocol: string }>('GET', '/api/devices/a4:cf:12:e0:00:01');
      expect(lamp).toMatchObject({ name: "Kitchen 'lamp'", cfgsn: 4, protocol: 'legacy' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
