import type { Database, Statement } from 'better-sqlite3';
import type { DeviceState, DeviceStatus } from '../../../../shared/status';
import type { DeviceRuntime } from '../../state/runtime';
import { type DeviceRow, INSERT_DEVICE_SQL, insertParams } from '../device-codec';

/** Columns an operator may change through DeviceAdminService.patch, keyed by the patch field. */
const PATCHABLE = { name: 'name', location: 'location', notes: 'notes', profileId: 'profile_id', checkinInterval: 'checkin_interval' } as const;
export type PatchableField = keyof typeof PATCHABLE;

export function createDevicesRepo(db: Database) {
  const all = db.prepare('SELECT * FROM devices');
  const allTags = db.prepare('SELECT device_id, tag FROM device_tags ORDER BY device_id, tag');
  const one = db.prepare('SELECT * FROM devices WHERE id = ?');
  const insert = db.prepare(INSERT_DEVICE_SQL);
  const updateIdentity = db.prepare(`
    UPDATE devices SET ip = @ip, ssid = @ssid, fw_name = @fwName, fw_version = @fwVersion, fw_md5 = @fwMd5,
      chip_id = coalesce(@chipId, chip_id), flash_size = coalesce(@flashSize, flash_size), token_hash = @tokenHash,
      protocol = @protocol, last_seen_at = @lastSeenAt
    WHERE id = @id`);
  const setState = db.prepare('UPDATE devices SET state = ?, status = ? WHERE id = ?');
  const setToken = db.prepare('UPDATE devices SET token_hash = ? WHERE id = ?');
  const setConfig = db.prepare('UPDATE devices SET overrides = ?, cfgsn = ? WHERE id = ?');
  const setFirmware = db.prepare('UPDATE devices SET firmware_id = ? WHERE id = ?');
  const patchStatements = Object.fromEntries(
    Object.entries(PATCHABLE).map(([field, column]) => [field, db.prepare(`UPDATE devices SET ${column} = ? WHERE id = ?`)]),
  ) as Record<PatchableField, Statement<[string | number | null, string]>>;
  const deleteTags = db.prepare('DELETE FROM device_tags WHERE device_id = ?');
  const insertTag = db.prepare('INSERT OR IGNORE INTO device_tags (device_id, tag) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM devices WHERE id = ?');
  const removeTelemetry = db.prepare('DELETE FROM telemetry WHERE device_id = ?');
  const saveWatermark = db.prepare(
    'INSERT INTO device_cfgsn_watermarks (device_id, cfgsn) VALUES (?, ?) ON CONFLICT (device_id) DO UPDATE SET cfgsn = max(cfgsn, excluded.cfgsn)',
  );
  const watermark = db.prepare('SELECT cfgsn FROM device_cfgsn_watermarks WHERE device_id = ?').pluck();

  return {
    all: () => all.all() as DeviceRow[],
    allTags: () => allTags.all() as { device_id: string; tag: string }[],
    get: (id: string) => one.get(id) as DeviceRow | undefined,
    /** A new device, every column from memory (the codec's list) plus the chip it reported. */
    insert: (device: DeviceRuntime, chip: { chipId: string | null; flashSize: number | null }) => insert.run(insertParams(device, chip)),
    updateIdentity: (u: { id: string; ip: string | null; ssid: string | null; fwName: string | null; fwVersion: string | null; fwMd5: string | null; chipId: string | null; flashSize: number | null; tokenHash: string | null; protocol: 'v1' | 'legacy'; lastSeenAt: number | null }) =>
      updateIdentity.run(u),
    setState: (id: string, state: DeviceState, status: DeviceStatus) => setState.run(state, status, id),
    setToken: (id: string, tokenHash: string | null) => setToken.run(tokenHash, id),
    setConfig: (id: string, overridesJson: string, cfgsn: number) => setConfig.run(overridesJson, cfgsn, id),
    setFirmware: (id: string, firmwareId: number | null) => setFirmware.run(firmwareId, id),
    patch: (id: string, field: PatchableField, value: string | number | null) => patchStatements[field].run(value, id),
    replaceTags(id: string, tags: readonly string[]): void {
      deleteTags.run(id);
      for (const tag of tags) insertTag.run(id, tag);
    },
    /** Deletes the device (tags and commands cascade) and remembers its cfgsn so it is never reused. */
    remove(id: string, cfgsn: number): void {
      saveWatermark.run(id, cfgsn);
      removeTelemetry.run(id);
      remove.run(id);
    },
    watermark: (id: string) => (watermark.get(id) as number | undefined) ?? 0,
  };
}
export type DevicesRepo = ReturnType<typeof createDevicesRepo>;
