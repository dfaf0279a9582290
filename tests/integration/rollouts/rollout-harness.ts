/**
 * A real fleet on 127.0.0.1 with a clock the test moves, and protocol-level devices that send the
 * boot report exactly as the firmware does, so every rollout rule is driven over HTTP.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { expect } from 'vitest';
import type { RolloutDetail } from '../../../src/shared/api';
import { type TestFleet, bearer, registerDevice, startTestFleet } from '../../helpers/fleet';
import type { RawResponse } from '../../helpers/http';

export interface ManualClock { t: number; now(): number; advance(ms: number): void }

export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  return { t: start, now() { return this.t; }, advance(ms) { this.t += ms; } };
}

export async function startRolloutFleet(clock: ManualClock): Promise<TestFleet> {
  return startTestFleet({ clock });
}

export const md5Of = (b: Buffer): string => createHash('md5').update(b).digest('hex');
export const imageOf = (size: number, seed: number): Buffer => Buffer.from(Array.from({ length: size }, (_, i) => (i * seed + seed) & 255));

export async function uploadImage(t: TestFleet, name: string, version: string, bytes: Buffer): Promise<{ id: number; md5: string }> {
  const res = await t.admin(`/api/firmware?name=${name}&version=${version}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: number; md5: string };
}

/** A device as the firmware behaves: boot count, slot, trial flag, running image's md5. */
export class ProtocolDevice {
  token = '';
  boot = { count: 1, reason: 'power_on', slot: 0 as 0 | 1, trial: false };
  heap = 30_000;
  ota: Record<string, unknown> | undefined;
  constructor(readonly t: TestFleet, readonly mac: string, public fw: { name: string; version: string; md5: string }, readonly flash = 4_194_304) {}

  async register(): Promise<this> {
    this.token = await registerDevice(this.t, this.mac, { fw: this.fw, chip: { flash: this.flash }, boot: this.boot });
    return this;
  }

  async checkin(): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- reply asserted field by field
    const body = { cfgsn: 0, heap: this.heap, fw: this.fw, boot: this.boot, ...(this.ota ? { ota: this.ota } : {}) };
    const res = await this.t.device(`/api/v1/devices/${this.mac}/checkin`, { headers: bearer(this.token), body });
    expect(res.status, res.text).toBe(200);
    this.ota = undefined;
    return res.json as Record<string, unknown>;
  }

  download(url: string): Promise<RawResponse> {
    return this.t.device(url, { headers: bearer(this.token) });
  }

  /** Reads `bytes` of the image and drops the connection: a download cut midway. */
  cutDownload(url: string, bytes: number): Promise<void> {
    const u = new URL(url, this.t.deviceUrl);
    return new Promise((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: bearer(this.token), agent: false }, (res) => {
        let got = 0;
        res.on('data', (chunk: Buffer) => {
          got += chunk.length;
          if (got >= bytes) {
            res.destroy();
            req.destroy();
            resolve();
          }
        });
        res.on('error', () => resolve());
      });
      req.on('error', (err) => (req.destroyed ? resolve() : reject(err)));
      req.end();
    });
  }

  /** Takes the new image and restarts into it on trial (rBoot temporary boot). */
  bootInto(fw: { version: string; md5: string }): void {
    this.fw = { ...this.fw, ...fw };
    this.boot = { count: this.boot.count + 1, reason: 'soft_restart', slot: this.boot.slot === 0 ? 1 : 0, trial: true };
  }

  /** Crashed on the trial image: back on the old slot with the rollback report. */
  fallBack(old: { version: string; md5: string }, firmwareId: number): void {
    this.fw = { ...this.fw, ...old };
    this.boot = { count: this.boot.count + 1, reason: 'exception', slot: this.boot.slot === 0 ? 1 : 0, trial: false };
    this.ota = { id: firmwareId, ok: false, message: 'rolled back: exception', rolledBack: true };
  }
}

export async function rollout(t: TestFleet, id: number): Promise<RolloutDetail> {
  const res = await t.admin(`/api/rollouts/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.json as RolloutDetail;
}

export function stateOf(detail: RolloutDetail, mac: string): string | undefined {
  for (const p of detail.phases) for (const d of p.devices) if (d.mac === mac) return d.state;
  return detail.unassigned.find((d) => d.mac === mac)?.state;
}

export const tick = (t: TestFleet): void => t.fleet.services.rollouts.tick();
