/**
 * Firmware download as the device does it: fetch the offered image with the device token,
 * check size and MD5 against the offer (and the reply's MD5 header when the server sends one),
 * and only then "flash" it. A mismatch never reboots into the image.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
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
  /** drop the connection after half the image (a Wi-Fi loss mid-download) */
  cutMidway?: boolean;
  /** read at most this many bytes a second, like a weak Wi-Fi link */
  bytesPerSecond?: number;
}): Promise<DownloadOutcome> {
  const { offer } = args;
  const headers: Record<string, string> = {};
  if (args.token) headers.authorization = `Bearer ${args.token}`;
  const url = new URL(offer.url, args.server).toString();
  if (args.cutMidway || args.bytesPerSecond) {
    const read = await streamImage({ url, headers, agent: args.agent, localAddress: args.localAddress, cutAfter: args.cutMidway ? Math.floor(offer.size / 2) : undefined, bytesPerSecond: args.bytesPerSecond });
    if (read.cut) return { ok: false, message: `download failed: connection cut after ${read.body.length} of ${offer.size} bytes`, bytes: read.body.length, md5: '' };
    return check(offer, { status: read.status, headers: read.headers, body: read.body }, args.tamper);
  }
  const reply = await httpRequest({
    method: 'GET',
    url,
    headers,
    agent: args.agent,
    localAddress: args.localAddress,
    signal: args.signal,
    timeoutMs: 60_000,
  });
  return check(offer, reply, args.tamper);
}

function check(offer: FirmwareOffer, reply: { status: number; headers: http.IncomingHttpHeaders; body: Buffer }, tamper?: (image: Buffer) => Buffer): DownloadOutcome {
  if (reply.status !== 200) {
    return { ok: false, message: `download failed: HTTP ${reply.status}`, bytes: reply.body.length, md5: '' };
  }
  const image = tamper ? tamper(reply.body) : reply.body;
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

/**
 * Reads the image chunk by chunk, pausing to keep to `bytesPerSecond`, or dropping the connection
 * after `cutAfter` bytes: the faults a real link has, so the server sees them as it would.
 */
function streamImage(args: {
  url: string; headers: Record<string, string>; agent?: http.Agent; localAddress?: string; cutAfter?: number; bytesPerSecond?: number;
}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; cut: boolean }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const req = http.get(args.url, { headers: args.headers, agent: args.agent, localAddress: args.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      let got = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        got += chunk.length;
        if (args.cutAfter !== undefined && got >= args.cutAfter) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, args.cutAfter), cut: true });
          return;
        }
        if (args.bytesPerSecond) {
          const due = (got / args.bytesPerSecond) * 1000 - (Date.now() - started);
          if (due > 0) {
            res.pause();
            setTimeout(() => res.resume(), due);
          }
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), cut: false }));
      res.on('error', reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`timeout: GET ${args.url}`)));
    req.on('error', reject);
  });
}
