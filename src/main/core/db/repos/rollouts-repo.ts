import type { Database } from 'better-sqlite3';
import type { RolloutDeviceEntry, RolloutDeviceState, RolloutGate, RolloutState, RolloutTarget } from '../../../../shared/api';
import { parseJson } from './json';

/** A rollout row as stored; phases are the rollout's own JSON (see services/rollouts/rollout-types.ts). */
export interface RolloutRow {
  id: number;
  firmwareId: number | null;
  firmwareLabel: string;
  state: RolloutState;
  pausedReason: string | null;
  target: RolloutTarget;
  gate: RolloutGate;
  phases: unknown;
  maxConcurrent: number;
  allowDowngrade: boolean;
  author: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface RolloutDeviceRow {
  rolloutId: number;
  deviceId: string;
  phase: number;
  state: RolloutDeviceState;
  reason: RolloutDeviceEntry['reason'];
  message: string | null;
  at: number;
  fromVersion: string | null;
  fromMd5: string | null;
  offeredAt: number | null;
  bootCount: number | null;
}

interface StoredRollout {
  id: number; firmware_id: number | null; firmware_label: string; state: RolloutState; paused_reason: string | null;
  target: string; gate: string; phases: string; max_concurrent: number; allow_downgrade: number; author: string;
  created_at: number; updated_at: number; finished_at: number | null;
}

const rolloutOf = (r: StoredRollout): RolloutRow => ({
  id: r.id, firmwareId: r.firmware_id, firmwareLabel: r.firmware_label, state: r.state, pausedReason: r.paused_reason,
  target: parseJson(r.target) as RolloutTarget, gate: parseJson(r.gate) as RolloutGate, phases: parseJson(r.phases),
  maxConcurrent: r.max_concurrent, allowDowngrade: r.allow_downgrade === 1, author: r.author,
  createdAt: r.created_at, updatedAt: r.updated_at, finishedAt: r.finished_at,
});

const DEVICE_COLUMNS = `rollout_id AS rolloutId, device_id AS deviceId, phase, state, reason, message, at,
  from_version AS fromVersion, from_md5 AS fromMd5, offered_at AS offeredAt, boot_count AS bootCount`;

export function createRolloutsRepo(db: Database) {
  const insert = db.prepare(`INSERT INTO rollouts (firmware_id, firmware_label, state, paused_reason, target, gate, phases,
    max_concurrent, allow_downgrade, author, created_at, updated_at) VALUES
    (@firmwareId, @firmwareLabel, @state, @pausedReason, @target, @gate, @phases, @maxConcurrent, @allowDowngrade, @author, @createdAt, @updatedAt)`);
  const update = db.prepare(`UPDATE rollouts SET state = @state, paused_reason = @pausedReason, phases = @phases,
    updated_at = @updatedAt, finished_at = @finishedAt WHERE id = @id`);
  const all = db.prepare('SELECT * FROM rollouts ORDER BY id');
  const upsertDevice = db.prepare(`INSERT INTO rollout_devices (rollout_id, device_id, phase, state, reason, message, at,
    from_version, from_md5, offered_at, boot_count) VALUES
    (@rolloutId, @deviceId, @phase, @state, @reason, @message, @at, @fromVersion, @fromMd5, @offeredAt, @bootCount)
    ON CONFLICT (rollout_id, device_id) DO UPDATE SET phase = excluded.phase, state = excluded.state, reason = excluded.reason,
    message = excluded.message, at = excluded.at, offered_at = excluded.offered_at, boot_count = excluded.boot_count`);
  const devicesOf = db.prepare(`SELECT ${DEVICE_COLUMNS} FROM rollout_devices WHERE rollout_id = ?`);
  const historyOf = db.prepare(`SELECT ${DEVICE_COLUMNS} FROM rollout_devices WHERE device_id = ? ORDER BY at DESC LIMIT ?`);
  const pins = db.prepare('SELECT device_id FROM firmware_pins').pluck();
  const flashSizes = db.prepare('SELECT id, flash_size FROM devices WHERE flash_size IS NOT NULL');
  const pin = db.prepare('INSERT OR IGNORE INTO firmware_pins (device_id, created_at) VALUES (?, ?)');
  const unpin = db.prepare('DELETE FROM firmware_pins WHERE device_id = ?');
  return {
    insert(r: Omit<RolloutRow, 'id' | 'finishedAt'>): number {
      return Number(insert.run({
        ...r, target: JSON.stringify(r.target), gate: JSON.stringify(r.gate), phases: JSON.stringify(r.phases),
        allowDowngrade: r.allowDowngrade ? 1 : 0,
      }).lastInsertRowid);
    },
    update(r: Pick<RolloutRow, 'id' | 'state' | 'pausedReason' | 'phases' | 'updatedAt' | 'finishedAt'>): void {
      update.run({ ...r, phases: JSON.stringify(r.phases) });
    },
    all: () => (all.all() as StoredRollout[]).map(rolloutOf),
    saveDevice: (row: RolloutDeviceRow) => upsertDevice.run(row),
    devicesOf: (rolloutId: number) => devicesOf.all(rolloutId) as RolloutDeviceRow[],
    historyOf: (deviceId: string, limit: number) => historyOf.all(deviceId, limit) as RolloutDeviceRow[],
    pins: () => pins.all() as string[],
    /** flash size each device reported at register (bytes); the OTA slot follows from it */
    flashSizes: () => new Map((flashSizes.all() as { id: string; flash_size: number }[]).map((r) => [r.id, r.flash_size])),
    pin: (deviceId: string, at: number) => pin.run(deviceId, at),
    unpin: (deviceId: string) => unpin.run(deviceId),
  };
}
export type RolloutsRepo = ReturnType<typeof createRolloutsRepo>;
