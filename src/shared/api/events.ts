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
export const EventListQuerySchema = z.object({
  deviceId: z.string().max(64).optional(),
  kind: z.string().max(64).optional(),
  before: z.coerce.number().int().optional(), // event id cursor
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
