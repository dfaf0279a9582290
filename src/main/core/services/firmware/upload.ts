import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetError } from '../../errors';

export interface StoredImage { size: number; md5: string; sha256: string }

/**
 * Streams an upload into <dir>/<sha256>.bin: written to a temp file while hashing, renamed into
 * place once complete, so a half-written image never sits under a real name. Over maxBytes the
 * temp file is removed and the rest of the body is drained (so the caller can still answer 413).
 */
export async function storeImage(dir: string, body: NodeJS.ReadableStream, maxBytes: number, tempName: string): Promise<StoredImage> {
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.upload-${tempName}.tmp`);
  const out = createWriteStream(temp, { flags: 'wx' });
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let size = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: unknown): void => {
        body.removeListener('data', onData);
        body.removeListener('end', onEnd);
        body.on('data', () => {}); // drain and discard the rest
        body.resume();
        reject(err);
      };
      const onData = (chunk: Buffer | string): void => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += bytes.length;
        if (size > maxBytes) return fail(new FleetError('payload_too_large', `firmware images are limited to ${maxBytes} bytes`));
        md5.update(bytes);
        sha256.update(bytes);
        if (!out.write(bytes)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      };
      const onEnd = (): void => {
        out.end(() => resolve());
      };
      body.on('data', onData);
      body.once('end', onEnd);
      body.once('error', fail);
      out.once('error', fail);
    });
  } catch (err) {
    out.destroy();
    await rm(temp, { force: true });
    throw err;
  }
  if (size === 0) {
    await rm(temp, { force: true });
    throw new FleetError('bad_request', 'the firmware image is empty');
  }
  const digest = { size, md5: md5.digest('hex'), sha256: sha256.digest('hex') };
  await rename(temp, join(dir, `${digest.sha256}.bin`));
  return digest;
}
