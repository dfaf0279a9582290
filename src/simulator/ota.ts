/**
 * Firmware download as the device does it: fetch the offered image with the device token,
 * check size and MD5 against the offer (and the reply's MD5 header when the server sends one),
 * and only then "flash" it. A mismatch never reboots into the image.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { FirmwareOffer } from '../shared/protocol';
import { httpRequest } from './http-client';

export interface DownloadOutcome {
  ok: boolean;
  /** why it failed; absent on success */
  message?: string;
  bytes: number;
  md5: string;
}

export async function downloadFirmware(args: {
  server: string;
  offer: FirmwareOffer;
  token: string | null;
  agent?: http.Agent;
  localAddress?: string;
  signal?: AbortSignal;
  /** lets tests corrupt the image in flight to exercise the MD5 check */
  tamper?: (image: Buffer) => Buffer;
}): Promise<DownloadOutcome> {
  const { offer } = args;
  const headers: Record<string, string> = {};
  if (args.token) headers.authorization = `Bearer ${args.token}`;
  const reply = await httpRequest({
    method: 'GET',
    url: new URL(offer.url, args.server).toString(),
    headers,
    agent: args.agent,
    localAddress: args.localAddress,
    signal: args.signal,
    timeoutMs: 60_000,
  });
  if (reply.status !== 200) {
    return { ok: false, message: `download failed: HTTP ${reply.status}`, bytes: reply.body.length, md5: '' };
  }
  const image = args.tamper ? args.tamper(reply.body) : reply.body;
  const md5 = createHash('md5').update(image).digest('hex');
  const headerMd5 = firstHeader(reply.headers['x-md5']) ?? firstHeader(reply.headers['x-firmware-md5']);
  if (image.length !== offer.size) {
    return { ok: false, message: `size mismatch: got ${image.length} bytes, offer said ${offer.size}`, bytes: image.length, md5 };
  }
  if (md5 !== offer.md5.toLowerCase()) {
    return { ok: false, message: `md5 mismatch: got ${md5}, offer said ${offer.md5}`, bytes: image.length, md5 };
  }
  if (headerMd5 && headerMd5.toLowerCase() !== md5) {
    return { ok: false, message: `md5 mismatch: got ${md5}, header said ${headerMd5}`, bytes: image.length, md5 };
  }
  return { ok: true, bytes: image.length, md5 };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
