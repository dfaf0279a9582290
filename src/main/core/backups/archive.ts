/**
 * The backup file: a gzip-compressed tar (tar-stream + node:zlib) whose first entry is
 * manifest.json, so listing a folder of backups reads only the head of each file. Tar rather
 * than zip: it streams in and out without a central directory, and any operator can open it
 * with the system's own `tar -xzf` when the app itself cannot start.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';

export const MANIFEST_ENTRY = 'manifest.json';
/** a manifest is a few hundred bytes; anything much larger is not ours */
const MANIFEST_MAX_BYTES = 64 * 1024;

export type ArchiveEntry = { name: string; content: Buffer } | { name: string; file: string };

function addEntry(pack: tar.Pack, entry: ArchiveEntry): Promise<void> {
  return new Promise((resolve, reject) => {
    if ('content' in entry) {
      pack.entry({ name: entry.name, mode: 0o600 }, entry.content, (err) => (err ? reject(err) : resolve()));
      return;
    }
    stat(entry.file).then((info) => {
      const sink = pack.entry({ name: entry.name, size: info.size, mode: 0o600 }, (err) => (err ? reject(err) : resolve()));
      createReadStream(entry.file).on('error', reject).pipe(sink);
    }, reject);
  });
}

/** Writes the entries, in order, to `file` as .tar.gz. */
export async function writeArchive(file: string, entries: ArchiveEntry[]): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createGzip({ level: 6 }), createWriteStream(file, { mode: 0o600 }));
  try {
    for (const entry of entries) await addEntry(pack, entry);
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
  }
  await done;
}

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('archive entry is larger than expected');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The parsed manifest.json of a backup file (its first entry), without reading the rest. */
export async function readManifest(file: string): Promise<unknown> {
  const extract = tar.extract();
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (err) => extract.destroy(err));
  gunzip.on('error', (err) => extract.destroy(err));
  source.pipe(gunzip).pipe(extract);
  try {
    for await (const entry of extract) {
      if (entry.header.name !== MANIFEST_ENTRY) throw new Error('the first entry is not manifest.json');
      return JSON.parse((await readAll(entry, MANIFEST_MAX_BYTES)).toString('utf8')) as unknown;
    }
    throw new Error('empty archive');
  } finally {
    source.destroy();
    gunzip.destroy();
    extract.destroy();
  }
}

/** Only plain relative names below the target folder: a crafted archive cannot write elsewhere. */
function safeTarget(dir: string, name: string): string | null {
  const clean = normalize(name);
  if (clean.startsWith('..') || clean.startsWith(sep) || clean.includes(`..${sep}`) || /^[A-Za-z]:/.test(clean)) return null;
  return join(dir, clean);
}

/**
 * Extracts the regular files of a backup into `dir` (created) and returns their names; the
 * manifest is returned parsed. Entries with unsafe names, links and devices are ignored.
 */
export async function extractArchive(file: string, dir: string): Promise<{ manifest: unknown; files: string[] }> {
  await mkdir(dir, { recursive: true });
  const extract = tar.extract();
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (err) => extract.destroy(err));
  gunzip.on('error', (err) => extract.destroy(err));
  source.pipe(gunzip).pipe(extract);
  let manifest: unknown = null;
  const files: string[] = [];
  for await (const entry of extract) {
    const target = safeTarget(dir, entry.header.name);
    if (entry.header.type !== 'file' || !target) {
      entry.resume();
      continue;
    }
    if (entry.header.name === MANIFEST_ENTRY) {
      manifest = JSON.parse((await readAll(entry, MANIFEST_MAX_BYTES)).toString('utf8')) as unknown;
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await pipeline(entry, createWriteStream(target, { mode: 0o600 }));
    files.push(entry.header.name);
  }
  return { manifest, files };
}
