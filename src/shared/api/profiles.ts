/** Admin contract: profiles (device type / purpose) and their default config. */
import { z } from 'zod';
import type { ConfigObject } from '../config';
import { ConfigObjectSchema } from './config';

export interface Profile {
  id: number;
  name: string;
  description: string;
  defaults: ConfigObject;
  deviceCount: number;
  firmwareId: number | null;
  createdAt: number;
  updatedAt: number;
}
/** One profile in the profiles export: exactly what POST /api/profiles takes back. */
export interface ProfileExportEntry {
  name: string;
  description: string;
  defaults: ConfigObject;
}

export const ProfileCreateSchema = z
  .object({ name: z.string().trim().min(1).max(64), description: z.string().max(1024).default(''), defaults: ConfigObjectSchema.default({}) })
  .strict();
export const ProfilePatchSchema = z
  .object({ name: z.string().trim().min(1).max(64), description: z.string().max(1024) })
  .partial()
  .strict();
