/**
 * Undo of a bulk action. The bulk reply carries what restores the devices it changed: the config
 * revisions it wrote (undone by restoring each one's `before`, only where nothing changed since)
 * and inverse bulk operations for profile and tag changes. The client posts it back unchanged.
 */
import { z } from 'zod';
import type { BulkResult } from './bulk';

const idList = z.array(z.string().max(64)).min(1).max(10000);
const tagList = z.array(z.string().trim().min(1).max(64)).max(64);
const profileId = z.number().int().positive().nullable();

export const BulkUndoSchema = z
  .object({
    revisions: z.array(z.number().int().positive()).max(10000).default([]),
    /** put `ids` back on `profileId` where they are still on `from` (what the bulk action set) */
    profiles: z.array(z.object({ ids: idList, profileId, from: profileId })).max(1000).default([]),
    tags: z.array(z.object({ ids: idList, add: tagList, remove: tagList })).max(1000).default([]),
  })
  .strict();
export type BulkUndo = z.infer<typeof BulkUndoSchema>;

export interface BulkOutcome extends BulkResult {
  /** present when the action can be undone and changed something */
  undo?: BulkUndo;
}

export interface BulkUndoResult {
  /** devices put back */
  restored: number;
  /** devices changed again since the bulk action: left as they are */
  skipped: string[];
}
