/**
 * A fleet database of any size written directly with SQL (not through the device protocol): the
 * schema comes from the real migrations, the rows look like devices that checked in recently.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../../src/main/core/db/open';

export function macOfIndex(n: number): string {
  const hex = n.toString(16).padStart(8, '0');
  return `02:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
}

/** The bearer token of generated device n (its hash is what the database holds). */
export function tokenOfIndex(n: number): string {
  return `generated-device-token-${n.toString(36).padStart(8, '0')}`;
}

export function generateFleetDatabase(dataDir: string, devices: number, now = Date.now()): void {
  const db = openDatabase(join(dataDir, 'fleetdesk.db'));
  try {
    const insert = db.prepare(`INSERT INTO devices
      (id, name, state, token_hash, protocol, created_at, last_seen_at, ip, ssid, rssi, heap, uptime, fw_name, fw_version, overrides, cfgsn, cfgsn_reported, status)
      VALUES (?, ?, 'active', ?, 'v1', ?, ?, ?, 'lab', -60, 30000, 3600, 'app', '1.0.0', ?, 1, 1, 'online')`);
    db.transaction(() => {
      for (let n = 0; n < devices; n++) {
        const hash = createHash('sha256').update(tokenOfIndex(n)).digest('hex');
        const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
        insert.run(macOfIndex(n), `sensor ${n}`, hash, now - 86_400_000, now - (n % 30) * 1000, ip, JSON.stringify({ interval: 30, label: `s${n % 100}` }));
      }
    })();
  } finally {
    closeDatabase(db);
  }
}
