/**
 * Is a stored firmware image still the bytes that were uploaded? Each file is hashed once (at
 * start, and again only when its size or mtime changes, checked when it is about to be served),
 * never on every download. A file that fails is damaged: not offered, not served, shown in the
 * firmware list and recorded as an event once.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Verdict { size: number; mtimeMs: number; damage: string | null }

export class FirmwareImageCheck {
  private readonly verdicts = new Map<string, Verdict>();

  constructor(
    private readonly dir: string,
    private readonly onDamaged: (sha256: string, damage: string) => void,
  ) {}

  /** The damage found so far, without touching the disk (the check-in path asks this). */
  damageOf(sha256: string): string | null {
    return this.verdicts.get(sha256)?.damage ?? null;
  }

  /** Looks at the file now (a stat; a hash only when it changed since the last look). */
  verify(sha256: string): string | null {
    const file = join(this.dir, `${sha256}.bin`);
    let size: number;
    let mtimeMs: number;
    try {
      ({ size, mtimeMs } = statSync(file));
    } catch {
      return this.record(sha256, { size: -1, mtimeMs: -1, damage: 'the file is missing' });
    }
    const known = this.verdicts.get(sha256);
    if (known && known.size === size && known.mtimeMs === mtimeMs) return known.damage;
    // Images are at most a few MiB: one synchronous read costs milliseconds, once per change.
    const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
    return this.record(sha256, { size, mtimeMs, damage: actual === sha256 ? null : `the file no longer matches its sha256 (now ${actual.slice(0, 12)}…)` });
  }

  private record(sha256: string, verdict: Verdict): string | null {
    const before = this.verdicts.get(sha256)?.damage ?? null;
    this.verdicts.set(sha256, verdict);
    if (verdict.damage !== null && verdict.damage !== before) this.onDamaged(sha256, verdict.damage);
    return verdict.damage;
  }
}

/** Temp files of uploads a killed process never finished (storeImage names them `.upload-*.tmp`). */
export function removeInterruptedUploads(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const leftovers = names.filter((name) => name.startsWith('.upload-') && name.endsWith('.tmp'));
  for (const name of leftovers) rmSync(join(dir, name), { force: true });
  return leftovers;
}
