import type { Database } from 'better-sqlite3';
import type { FirmwareDeviceState, FirmwareSummary } from '../../../../shared/api';
import type { DeviceStatus } from '../../../../shared/status';

/**
 * Devices an image is assigned to — their own assignment wins over the profile's, as in
 * assignedFirmwareId() — with the OTA columns only where they concern this image.
 */
const DEVICES_OF_SQL = `
  SELECT d.id, d.name, d.status, d.fw_version, d.protocol, d.firmware_id IS NOT NULL AS direct, p.name AS profile_name,
    CASE WHEN d.ota_firmware_id = @fid THEN d.ota_state ELSE 'none' END AS ota_state,
    CASE WHEN d.ota_firmware_id = @fid THEN d.ota_message END AS ota_message,
    CASE WHEN d.ota_firmware_id = @fid THEN d.ota_at END AS ota_at
  FROM devices d LEFT JOIN profiles p ON p.id = d.profile_id
  WHERE d.firmware_id = @fid OR (d.firmware_id IS NULL AND p.firmware_id = @fid)
  ORDER BY d.name COLLATE NOCASE, d.id`;

interface DeviceOfRow {
  id: string; name: string; status: DeviceStatus; fw_version: string | null; protocol: 'v1' | 'legacy'; direct: 0 | 1; profile_name: string | null;
  ota_state: FirmwareDeviceState['firmwareUpdate']['state']; ota_message: string | null; ota_at: number | null;
}

function deviceStateOf(row: DeviceOfRow): FirmwareDeviceState {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    fwVersion: row.fw_version,
    protocol: row.protocol,
    via: row.direct ? 'device' : 'profile',
    profileName: row.profile_name,
    firmwareUpdate: {
      state: row.ota_state,
      ...(row.ota_message !== null ? { message: row.ota_message } : {}),
      ...(row.ota_at !== null ? { at: row.ota_at } : {}),
    },
  };
}

export function createFirmwareRepo(db: Database) {
  const all = db.prepare('SELECT id, name, version, size, md5, sha256, notes, created_at AS createdAt FROM firmware ORDER BY id');
  const insert = db.prepare(
    'INSERT INTO firmware (name, version, size, md5, sha256, notes, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM firmware WHERE id = ?');
  const sameFile = db.prepare('SELECT count(*) FROM firmware WHERE sha256 = ?').pluck();
  const devicesOf = db.prepare(DEVICES_OF_SQL);
  return {
    all: () => all.all() as FirmwareSummary[],
    insert(f: Omit<FirmwareSummary, 'id'>, author: string): FirmwareSummary {
      const id = Number(insert.run(f.name, f.version, f.size, f.md5, f.sha256, f.notes, author, f.createdAt).lastInsertRowid);
      return { id, ...f };
    },
    /** Assignments to devices and profiles are cleared by ON DELETE SET NULL. */
    remove: (id: number) => remove.run(id),
    usesOfFile: (sha256: string) => sameFile.get(sha256) as number,
    /** One query: the devices the image is assigned to, directly or through their profile. */
    devicesOf: (id: number) => (devicesOf.all({ fid: id }) as DeviceOfRow[]).map(deviceStateOf),
  };
}
export type FirmwareRepo = ReturnType<typeof createFirmwareRepo>;
