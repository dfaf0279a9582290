/** Admin contract: the live deltas pushed over Server-Sent Events (GET /api/events/stream). */
import type { DeviceStatus } from '../status';
import type { Command } from './commands';
import type { DeviceSummary } from './devices';
import type { FleetEvent } from './events';

export type FleetDelta =
  | { type: 'device'; device: DeviceSummary } // created or changed
  | { type: 'device_removed'; id: string }
  | { type: 'status'; id: string; status: DeviceStatus; lastSeenAt: number | null }
  | { type: 'event'; event: FleetEvent }
  | { type: 'command'; command: Command }
  | { type: 'profile'; profileId: number }
  | { type: 'firmware' }
  /** a rollout, one of its phases or devices changed: reload GET /api/rollouts/:id (and the list) */
  | { type: 'rollout'; rolloutId: number }
  | { type: 'settings' }
  /** mDNS state or devices seen on the LAN changed: reload GET /api/server and /api/discovery/seen */
  | { type: 'server' }
  /** a budget or cap refused something, or claims changed: reload GET /api/limits and /api/claims */
  | { type: 'limits' }
  /** alert notifications were read: reload GET /api/alerts/notifications (new ones come as events) */
  | { type: 'alerts' };

/** One SSE message carries a batch of deltas (batched at most 4×/s). */
export interface DeltaBatch { deltas: FleetDelta[] }
