/**
 * The hot path: everything here is Map lookups and in-memory updates, so a check-in never waits on
 * the disk. Liveness and telemetry reach it through the write-behind buffer; config, commands and
 * firmware offers come from memory the services keep current.
 */
import type { CheckinReply, CheckinRequest } from '../../../../shared/protocol';
import { takeReadings } from '../../db/device-codec';
import { type DeviceRuntime, intervalOf } from '../../state/runtime';
import { type ServiceContext, emitDevice } from '../context';
import { applyAcks, deliverCommands } from '../commands/command-lifecycle';
import { firmwareOffer, noteOffer, takeReportedFirmware } from '../firmware/offer';
import { announceLiveness, setStatus } from '../status/status-monitor';
import { deviceIdOrThrow } from '../../ids';
import { claimantWaiting } from '../admission/claims';
import { authenticateDevice } from './device-auth';

/** Telemetry samples are thinned to one per device per minute: enough for charts, bounded on disk. */
const TELEMETRY_SAMPLE_MS = 60_000;

/** Takes what the device reports; returns whether a field the device list shows changed. */
function takeReport(ctx: ServiceContext, device: DeviceRuntime, body: CheckinRequest, remoteAddress: string, now: number): boolean {
  let visible = false;
  const before = { lastSeenAt: device.lastSeenAt, uptime: device.uptime };
  const ip = body.ip ?? device.ip ?? remoteAddress;
  if (ip !== device.ip) {
    device.ip = ip;
    visible = true;
  }
  if (body.ssid !== undefined && body.ssid !== device.ssid) {
    device.ssid = body.ssid;
    visible = true;
  }
  const reported = takeReadings(device, body);
  if (device.protocol !== 'v1') {
    device.protocol = 'v1';
    visible = true;
  }
  device.lastSeenAt = now;
  ctx.history.observe(device, now, before, intervalOf(device, ctx.state.settings), body.boot?.reason ?? null);
  if (reported && now - device.lastTelemetryAt >= TELEMETRY_SAMPLE_MS) {
    device.lastTelemetryAt = now;
    ctx.writeBehind.sample(device.id, now, device.rssi, device.heap, device.uptime);
  }
  ctx.writeBehind.markDirty(device);
  return visible;
}

/** The device reports the cfgsn it has applied; the first report of the current one is an event. */
function takeAppliedCfgsn(ctx: ServiceContext, device: DeviceRuntime, reported: number | undefined): boolean {
  if (reported === undefined || reported === device.cfgsnReported) return false;
  device.cfgsnReported = reported;
  if (reported === device.cfgsn) {
    ctx.events.recordLater('config_applied', device.id, `${device.name || device.id} applied config ${reported}`, { cfgsn: reported });
  }
  return true;
}

/** A field the list shows changed: full row write with the next flush, and a delta now. */
function changed(ctx: ServiceContext, device: DeviceRuntime, now: number): void {
  ctx.writeBehind.markChanged(device);
  device.lastLivenessDeltaAt = now; // the delta carries the new liveness too
  emitDevice(ctx, device);
}

/**
 * The claimant of a claim waiting for the operator checks in with the token it was given: it is
 * told to wait (nothing else is revealed, the device's state and config stay out of the reply).
 */
function authenticateOrWaitingClaim(ctx: ServiceContext, rawId: string, bearer: string | null): DeviceRuntime | CheckinReply {
  try {
    return authenticateDevice(ctx, rawId, bearer);
  } catch (err) {
    const device = ctx.state.devices.get(deviceIdOrThrow(rawId));
    if (!device || !claimantWaiting(ctx, device.id, bearer)) throw err;
    return { state: 'pending', cfgsn: device.cfgsn, commands: [], interval: intervalOf(device, ctx.state.settings) };
  }
}

export function checkin(ctx: ServiceContext, rawId: string, bearer: string | null, body: CheckinRequest, remoteAddress: string): CheckinReply {
  const device = authenticateOrWaitingClaim(ctx, rawId, bearer);
  if (!('id' in device)) return device;
  const now = ctx.clock.now();
  let visible = takeReport(ctx, device, body, remoteAddress, now);
  const interval = intervalOf(device, ctx.state.settings);

  if (device.state !== 'active') {
    // pending and blocked devices are tracked but get nothing to do (docs/protocol.md §3)
    if (takeReportedFirmware(ctx, device, body.fw)) visible = true;
    if (visible) changed(ctx, device, now);
    else announceLiveness(ctx, device, now);
    return { state: device.state, cfgsn: device.cfgsn, commands: [], interval };
  }

  if (device.status !== 'online') setStatus(ctx, device, 'online');
  ctx.alertTap.note(device, now);
  if (takeAppliedCfgsn(ctx, device, body.cfgsn)) visible = true;
  applyAcks(ctx, device, body.acks);
  if (takeReportedFirmware(ctx, device, body.fw, body.ota)) visible = true;
  ctx.rollouts.observe(device, body);
  const commands = deliverCommands(ctx, device);
  const firmware = firmwareOffer(ctx, device);
  if (noteOffer(ctx, device, firmware)) visible = true;
  if (visible) changed(ctx, device, now);
  else announceLiveness(ctx, device, now);

  const reply: CheckinReply = { state: 'active', cfgsn: device.cfgsn, commands, interval };
  if (body.cfgsn !== device.cfgsn) reply.config = device.effective;
  if (firmware) reply.firmware = firmware;
  const confirm = ctx.rollouts.confirm(device, body);
  if (confirm) reply.confirm = confirm;
  return reply;
}
