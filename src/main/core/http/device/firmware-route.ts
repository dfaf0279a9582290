/**
 * Firmware download for devices (docs/protocol.md §7): the image offered at check-in, streamed from
 * the data dir with Content-Length, x-MD5 (hex, as ESP8266 updaters expect) and Content-MD5 (base64).
 * Never a 304 here: Sming's upgrader would take it for success.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { notFound } from '../../errors';
import type { FleetServices } from '../../services/contracts';
import { bearerToken, deviceIdParam, intParam } from '../params';

export interface FirmwareImage { path: string; size: number; md5: string }

/**
 * Streams an image; a broken read after the headers went out just cuts the connection. Resolves
 * whether the whole image went out (false: HEAD, or the connection broke midway).
 */
export async function sendFirmwareImage(res: Response, image: FirmwareImage, logger: Logger): Promise<boolean> {
  const isHead = res.req.method === 'HEAD';
  const stream = isHead ? null : await openImage(image, logger);
  res.status(200);
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', String(image.size));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('x-MD5', image.md5.toLowerCase());
  res.setHeader('Content-MD5', Buffer.from(image.md5, 'hex').toString('base64'));
  if (!stream) {
    res.end();
    return false;
  }
  try {
    await pipeline(stream, res);
    return true;
  } catch (err) {
    // every byte was handed to the socket and the client, having them all, closed before 'finish'
    // fired: that is a whole image, not a cut
    if (res.writableEnded || stream.bytesRead >= image.size) return true;
    logger.warn({ err, path: image.path }, 'firmware download interrupted');
    res.destroy();
    return false;
  }
}

/** Opens the file before anything is sent, so a missing image is a clean error envelope. */
function openImage(image: FirmwareImage, logger: Logger): Promise<ReadStream> {
  const { path } = image;
  const stream = createReadStream(path);
  return new Promise((resolve, reject) => {
    stream.once('open', () => resolve(stream));
    stream.once('error', (err) => {
      logger.error({ err, path }, 'firmware image cannot be read');
      reject(notFound('firmware image', image.md5, 'the file is missing on disk'));
    });
  });
}

export function createFirmwareRouter(services: FleetServices, logger: Logger): Router {
  const router = Router();
  router.get('/devices/:id/firmware/:fid', async (req, res) => {
    const id = deviceIdParam(req);
    const firmwareId = intParam(req, 'fid');
    const image = services.protocol.firmwareFor(id, bearerToken(req), firmwareId);
    const complete = await sendFirmwareImage(res, image, logger);
    if (req.method !== 'HEAD') services.protocol.firmwareSent(id, firmwareId, complete);
  });
  return router;
}
