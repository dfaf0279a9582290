/** Admin contract: a device's config (profile defaults, overrides, effective) and its history. */
import { z } from 'zod';
import type { ConfigObject, ConfigSource } from '../config';

export const ConfigObjectSchema = z.record(z.string().min(1).max(128), z.json());

export interface ConfigView {
  /** profile defaults ({} without a profile) */
  defaults: ConfigObject;
  overrides: ConfigObject;
  effective: ConfigObject;
  sources: Record<string, ConfigSource>;
  cfgsn: number;
  cfgsnReported: number | null;
  inSync: boolean;
}

export const ConfigPutSchema = z.object({ overrides: ConfigObjectSchema }).strict();
export const ProfileConfigPutSchema = z.object({ defaults: ConfigObjectSchema }).strict();

export interface ConfigRevision {
  id: number;
  target: 'device' | 'profile';
  targetId: string; // device id or profile id as string
  author: string;
  at: number;
  before: ConfigObject;
  after: ConfigObject;
  /** e.g. 'edit', 'restore of #12', 'bulk set key' */
  reason: string;
}
