/**
 * The original protocol (docs/protocol.md §9): no token, no commands, no firmware.
 * POST /api/devices/{id} {ipaddr, ssid} registers; GET /api/devices/{id} polls {cfgsn, data}.
 * The reply is mapped onto a v1 CheckinReply so the device logic handles both the same way.
 */
import type http from 'node:http';
import type { ConfigObject } from '../shared/config';
import { type CheckinReply, LEGACY_NOT_REGISTERED, type RegisterReply } from '../shared/protocol';
import { HttpError, httpRequest, parseJsonBody } from './http-client';

export interface LegacyContext {
  server: string;
  id: string;
  ip: string;
  ssid: string;
  key?: string;
  agent?: http.Agent;
  localAddress?: string;
  interval: number;
  onRegistered(row: Record<string, unknown>): void;
}

export async function legacyRegister(ctx: LegacyContext): Promise<RegisterReply> {
  const reply = await httpRequest({
    method: 'POST', url: legacyUrl(ctx), agent: ctx.agent, localAddress: ctx.localAddress, timeoutMs: 15_000,
    json: { ipaddr: ctx.ip, ssid: ctx.ssid, ...(ctx.key ? { key: ctx.key } : {}) },
  });
  const row = parseJsonBody(reply) as Record<string, unknown> | null;
  if (reply.status !== 200 || !row || row.status === 'NOK') {
    throw new HttpError(`legacy register → ${reply.status} ${JSON.stringify(row)?.slice(0, 200)}`, reply.status, row);
  }
  ctx.onRegistered(row);
  const state = row.state === 'pending' || row.state === 'blocked' ? row.state : 'active';
  return { state, cfgsn: typeof row.cfgsn === 'number' ? row.cfgsn : 0, interval: ctx.interval };
}

/** GET poll; an unknown-device reply calls `onUnknown` (the device registers again next time). */
export async function legacyPoll(ctx: LegacyContext, onUnknown: () => void): Promise<CheckinReply> {
  const reply = await httpRequest({ method: 'GET', url: legacyUrl(ctx), agent: ctx.agent, localAddress: ctx.localAddress, timeoutMs: 15_000 });
  const body = parseJsonBody(reply) as { cfgsn?: number; data?: ConfigObject; status?: string; message?: string } | null;
  if (reply.status === 404 || body?.status === 'NOK') {
    onUnknown();
    throw new HttpError(`legacy poll → ${reply.status} ${body?.message ?? LEGACY_NOT_REGISTERED.message}`, reply.status, body);
  }
  if (reply.status !== 200 || !body || typeof body.cfgsn !== 'number') {
    throw new HttpError(`legacy poll → ${reply.status} ${JSON.stringify(body)?.slice(0, 200)}`, reply.status, body);
  }
  return { state: 'active', cfgsn: body.cfgsn, config: body.data ?? {}, commands: [], interval: ctx.interval };
}

function legacyUrl(ctx: LegacyContext): string {
  return `${ctx.server}/api/devices/${encodeURIComponent(ctx.id)}`;
}
