import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetError } from '../../errors';

export interface StoredImage { size: number; md5: string; sha256: string }

/**
 * Streams an upload into <dir>/<sha256>.bin: written to a temp file while hashing, renamed into
 * place once complete, so a half-written image never sits under a real name. Over maxBytes the
 * temp file is removed and the rest of the body is drained (so the caller can still answer 413).
 */
export async function storeImage(dir: string, body: NodeJS.ReadableStream, maxBytes: number, tempName: string): Promise<StoredImage> {
  // Everything up to the listeners is synchronous: a body closed during an await would
  // otherwise end unseen and leave the upload waiting forever.
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.upload-${tempName}.tmp`);
  const out = createWriteStream(temp, { flags: 'wx' });
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let size = 0;

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
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
      let ended = false;
      const onEnd = (): void => {
        ended = true;
        out.end(() => resolve());
      };
      body.on('data', onData);
      body.once('end', onEnd);
      body.once('error', fail);
      // a client that goes away mid-upload may close the stream without an error
      const interrupted = () => fail(new FleetError('bad_request', 'the upload was interrupted'));
      body.once('close', () => {
        if (!ended) interrupted();
      });
      if ((body as { destroyed?: boolean }).destroyed) interrupted();
      out.once('error', fail);
    });
  } catch (err) {
    // Wait for the file to be closed: a stream destroyed while still opening creates the file
    // afterwards, which would outlive an earlier rm.
    const closed = out.closed ? Promise.resolve() : once(out, 'close').then(() => undefined, () => undefined);
    out.destroy();
    await closed;
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
