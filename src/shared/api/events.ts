/** Admin contract: the audit log of fleet events. */
import { z } from 'zod';

export type FleetEventKind =
  | 'registered' | 'approved' | 'blocked' | 'credentials_reset' | 'deleted'
  | 'came_online' | 'went_late' | 'went_offline'
  | 'config_changed' | 'config_applied'
  | 'command_queued' | 'command_acked' | 'command_failed' | 'command_expired'
  | 'firmware_uploaded' | 'firmware_assigned' | 'firmware_offered' | 'firmware_updated' | 'firmware_failed'
  | 'settings_changed' | 'profile_changed'
  | 'unblocked' | 'firmware_removed' | 'firmware_damaged'
  | 'claim_requested' | 'claim_approved' | 'claim_rejected' | 'claim_refused' | 'claim_accepted' | 'limit_reached' | 'preauthorized'
  | 'backup_restored' | 'devices_imported' | 'device_replaced'
  | 'alert_firing' | 'alert_resolved' | 'device_muted'
  | 'rollout_created' | 'rollout_paused' | 'rollout_resumed' | 'rollout_aborted' | 'rollout_done'
  | 'rollout_phase_started' | 'rollout_phase_passed' | 'rollout_phase_rolled_back' | 'firmware_rolled_back';

export interface FleetEvent {
  id: number;
  at: number;
  kind: FleetEventKind;
  deviceId: string | null;
  message: string;
  data: Record<string, unknown> | null;
  /** repeated same-kind events of one device within a minute collapse into one; at = the last */
  count: number;
}
/** A device's liveness transitions: the bulk of a quiet log, hidden in one click on the Events page. */
export const CONNECTIVITY_KINDS: readonly FleetEventKind[] = ['came_online', 'went_late', 'went_offline'];

/** Kinds to show, comma-separated in a query string (`kind=registered,approved`). */
const kindList = z
  .string()
  .max(2000)
  .transform((value) => value.split(',').map((k) => k.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z_]{1,64}$/, 'an event kind is lower-case letters and _')).max(64));

const epochMs = z.coerce.number().int().min(0).max(8.64e15);
const flag = z.enum(['1', 'true', '0', 'false']).transform((v) => v === '1' || v === 'true');

/** What narrows the audit log: the Events page's filters, the list and the CSV export alike. */
export const EventFilterSchema = z.object({
  deviceId: z.string().max(64).optional(),
  kind: kindList.optional(),
  /** events of devices currently in this profile */
  profileId: z.coerce.number().int().positive().optional(),
  /** at ≥ since (ms since the epoch) */
  since: epochMs.optional(),
  /** at < until (ms since the epoch) */
  until: epochMs.optional(),
  /** leave out came_online / went_late / went_offline */
  hideConnectivity: flag.optional(),
});
export type EventFilter = z.infer<typeof EventFilterSchema>;

export const EventListQuerySchema = EventFilterSchema.extend({
  before: z.coerce.number().int().optional(), // event id cursor
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type EventListQuery = z.infer<typeof EventListQuerySchema>;
/** What the service takes: one kind given as a plain string is accepted too. */
export type EventListRequest = Omit<EventListQuery, 'kind' | 'hideConnectivity'> & { kind?: string | string[]; hideConnectivity?: boolean };

/** Columns of the CSV export, in order. */
export const EVENT_EXPORT_COLUMNS = ['id', 'time', 'kind', 'device', 'device_name', 'message', 'count', 'data'] as const;
