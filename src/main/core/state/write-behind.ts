import type { Database } from 'better-sqlite3';
import type { DeviceRuntime } from './runtime';

/**
 * The write-behind buffer of the check-in path (DESIGN §6): device liveness and telemetry stay
 * in memory and reach SQLite in one transaction per flush (about once a second). Device-driven
 * events and command state changes ride along as queued writes. A crash loses at most one
 * flush interval of these; operator changes never go through here.
 */
export class WriteBehind {
  /** devices with only new liveness/telemetry (the common check-in) */
  private dirty = new Set<DeviceRuntime>();
  /** devices with other flushed fields changed too (ip, ssid, firmware, cfgsn, status, OTA) */
  private changed = new Set<DeviceRuntime>();
  private writes: (() => void)[] = [];
  private telemetry: { deviceId: string; at: number; rssi: number | null; heap: number | null; uptime: number | null }[] = [];
  private readonly updateLiveness;
  private readonly updateDevice;
  private readonly insertTelemetry;

  constructor(
    private readonly db: Database,
    private readonly onFlushed: (devices: DeviceRuntime[]) => void = () => {},
  ) {
    // The narrow statement is what most check-ins need; it costs about a third of the full one.
    this.updateLiveness = db.prepare('UPDATE devices SET last_seen_at = ?, rssi = ?, heap = ?, uptime = ? WHERE id = ?');
    this.updateDevice = db.prepare(`
      UPDATE devices SET last_seen_at = ?, ip = ?, ssid = ?, rssi = ?, heap = ?, uptime = ?,
        fw_name = ?, fw_version = ?, fw_md5 = ?, cfgsn_reported = ?, status = ?, protocol = ?,
        ota_state = ?, ota_firmware_id = ?, ota_message = ?, ota_at = ?
      WHERE id = ?`);
    this.insertTelemetry = db.prepare('INSERT INTO telemetry (device_id, at, rssi, heap, uptime) VALUES (?, ?, ?, ?, ?)');
  }

  /** Only last-seen and telemetry changed. */
  markDirty(device: DeviceRuntime): void {
    this.dirty.add(device);
  }

  /** Something besides liveness changed (ip, ssid, firmware, applied cfgsn, status, OTA). */
  markChanged(device: DeviceRuntime): void {
    this.changed.add(device);
  }

  /** A deleted device: its buffered liveness must not land on a row re-created under the same id. */
  forget(device: DeviceRuntime): void {
    this.dirty.delete(device);
    this.changed.delete(device);
  }

  /** A write that may trail by one flush (device-driven events, command delivery and acks). */
  later(write: () => void): void {
    this.writes.push(write);
  }

  sample(deviceId: string, at: number, rssi: number | null, heap: number | null, uptime: number | null): void {
    this.telemetry.push({ deviceId, at, rssi, heap, uptime });
  }

  get pending(): number {
    return this.dirty.size + this.changed.size + this.writes.length + this.telemetry.length;
  }

  /**
   * Writes what is buffered in one transaction. Safe to call any time; cheap when empty.
   * `liveness: false` leaves plain liveness updates (the bulk under check-in load) for the next
   * flush: for readers that take last-seen and telemetry from memory anyway.
   */
  flush(options: { liveness?: boolean } = {}): void {
    if (this.pending === 0) return;
    const withLiveness = options.liveness ?? true;
    const changed = [...this.changed];
    const dirty = withLiveness ? [...this.dirty].filter((d) => !this.changed.has(d)) : [];
    const writes = this.writes;
    const telemetry = this.telemetry;
    if (withLiveness) this.dirty = new Set();
    else for (const d of changed) this.dirty.delete(d);
    this.changed = new Set();
    this.writes = [];
    this.telemetry = [];
    try {
      this.db.transaction(() => {
        for (const d of dirty) this.updateLiveness.run(d.lastSeenAt, d.rssi, d.heap, d.uptime, d.id);
        for (const d of changed) {
          this.updateDevice.run(
            d.lastSeenAt, d.ip, d.ssid, d.rssi, d.heap, d.uptime, d.fwName, d.fwVersion, d.fwMd5,
            d.cfgsnReported, d.status, d.protocol, d.ota.state, d.ota.firmwareId, d.ota.message ?? null, d.ota.at ?? null, d.id,
          );
        }
        for (const write of writes) write();
        for (const t of telemetry) this.insertTelemetry.run(t.deviceId, t.at, t.rssi, t.heap, t.uptime);
      })();
    } catch (err) {
      // Device rows are rewritten whole from memory, so retrying them is always right; a queued
      // write that failed would fail again, so those are dropped (the caller logs the error).
      for (const d of dirty) this.dirty.add(d);
      for (const d of changed) this.changed.add(d);
      throw err;
    }
    const devices = dirty.concat(changed);
    this.onFlushed(devices);
  }
}
