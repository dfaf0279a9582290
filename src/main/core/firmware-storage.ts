/**
 * Where firmware images live on disk: <dataDir>/firmware/<sha256>.bin, one file per distinct
 * image (the database holds metadata only). The firmware service stores and removes images, the
 * device protocol serves them; both find them here, so neither depends on the other.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export function firmwareDir(dataDir: string): string {
  return join(dataDir, 'firmware');
}

export function firmwarePath(dataDir: string, sha256: string): string {
  return join(firmwareDir(dataDir), `${sha256}.bin`);
}

/** Removes an image file; one that is already gone is fine. */
export function removeFirmwareFile(dataDir: string, sha256: string): void {
  rmSync(firmwarePath(dataDir, sha256), { force: true });
}
