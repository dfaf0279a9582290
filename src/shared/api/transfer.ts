/**
 * Admin API contracts for moving fleet data in and out: device export (CSV/JSON), device import
 * with a row-by-row preview, pre-registered devices, the original design's restDB.sqlite, and
 * replacing a dead device by a new one.
 */
import { z } from 'zod';
import type { ConfigObject } from '../config';

/** Column order of the CSV export; the import reads the same names (and a minimal subset). */
export const EXPORT_COLUMNS = ['mac', 'name', 'location', 'tags', 'profile', 'status', 'lastSeen', 'ip', 'ssid', 'firmware', 'config'] as const;

export interface DeviceExportRow {
  mac: string;
  name: string;
  location: string;
  tags: string[];
  profile: string | null;
  /** online/late/offline/pending/blocked, or 'pre-registered' (not yet seen) */
  status: string;
  /** ISO 8601, null = never */
  lastSeen: string | null;
  ip: string | null;
  ssid: string | null;
  firmware: string | null;
  /** the device's config overrides */
  config: ConfigObject;
}

export const ExportFormatSchema = z.object({ format: z.enum(['csv', 'json']).default('csv') });

export type ImportOutcome = 'create' | 'update' | 'skip';

export interface ImportRowResult {
  /** 1-based data row (the CSV header is row 0) */
  row: number;
  mac: string | null;
  name: string;
  outcome: ImportOutcome;
  /** why a row is skipped, or what an update changes */
  reason: string;
}

export interface ImportReport {
  dryRun: boolean;
  created: number;
  updated: number;
  skipped: number;
  rows: ImportRowResult[];
}

export const IMPORT_MAX_ROWS = 10_000;
export const ImportQuerySchema = z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() });

export interface PreregisteredDevice {
  id: string;
  name: string;
  location: string;
  notes: string;
  tags: string[];
  profileId: number | null;
  profileName: string | null;
  overrides: ConfigObject;
  source: string;
  createdAt: number;
}

export const ReplaceDeviceSchema = z.object({ with: z.string().trim().min(1).max(64) }).strict();

export interface ReplaceResult {
  /** the successor, now holding the old device's identity */
  device: { id: string; name: string };
  retired: { id: string; retiredFor: string };
  /** config revisions carried over */
  revisions: number;
}

export interface SeedProblem {
  deviceid: string;
  problem: string;
}

export interface SeedReport {
  dryRun: boolean;
  /** devices created from rows */
  created: number;
  /** duplicated deviceid rows folded into one (the newest wins) */
  merged: number;
  /** rows left out (unusable id, or the device exists already) */
  skipped: number;
  problems: SeedProblem[];
}
