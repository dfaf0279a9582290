/** Admin contract: one operation applied to many devices, picked by ids or by a list filter. */
import { z } from 'zod';
import { ConfigValueSchema } from './config';
import { DeviceListQuerySchema, TagSchema } from './devices';

export const BulkTargetSchema = z.union([
  z.object({ ids: z.array(z.string().max(64)).min(1).max(10000) }),
  z.object({ filter: DeviceListQuerySchema.omit({ sort: true, order: true, offset: true, limit: true }) }),
]);
export const BulkActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('setProfile'), profileId: z.number().int().positive().nullable() }),
  z.object({ action: z.literal('addTags'), tags: z.array(TagSchema).min(1).max(64) }),
  z.object({ action: z.literal('removeTags'), tags: z.array(TagSchema).min(1).max(64) }),
  z.object({ action: z.literal('setConfigKey'), key: z.string().min(1).max(128), value: ConfigValueSchema }),
  z.object({ action: z.literal('removeConfigKey'), key: z.string().min(1).max(128) }),
  z.object({ action: z.literal('command'), name: z.string().min(1).max(64), args: z.record(z.string(), z.json()).default({}) }),
  z.object({ action: z.literal('approve') }),
  z.object({ action: z.literal('block') }),
  z.object({ action: z.literal('delete') }),
]);
export const BulkRequestSchema = z.object({ target: BulkTargetSchema, op: BulkActionSchema });
export type BulkRequest = z.infer<typeof BulkRequestSchema>;
export interface BulkResult { affected: number; ids: string[] }
