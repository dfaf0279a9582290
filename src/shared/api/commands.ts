/** Admin contract: commands queued for a device and their lifecycle. */
import { z } from 'zod';

export type CommandState = 'queued' | 'delivered' | 'acked' | 'failed' | 'expired';
export interface Command {
  id: number;
  deviceId: string;
  name: string;
  args: Record<string, unknown>;
  state: CommandState;
  result: unknown;
  createdAt: number;
  deliveredAt: number | null;
  completedAt: number | null;
  expiresAt: number;
  author: string;
}
export const CommandCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/),
    args: z.record(z.string(), z.json()).default({}),
    /** absent: the command expiry setting */
    ttlSeconds: z.number().int().min(5).max(7 * 86400).optional(),
  })
  .strict();
