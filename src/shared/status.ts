/** Device liveness derived from the last check-in; pure so the core timer and the UI agree. */
export type Liveness = 'online' | 'late' | 'offline';
export type DeviceState = 'pending' | 'active' | 'blocked';
/** What the UI shows: the registration state wins over liveness when it is not `active`. */
export type DeviceStatus = Liveness | 'pending' | 'blocked';

export interface StatusThresholds {
  /** late after lateFactor × interval without a check-in */
  lateFactor: number;
  /** offline after offlineFactor × interval + graceSeconds */
  offlineFactor: number;
  graceSeconds: number;
}

export const DEFAULT_THRESHOLDS: StatusThresholds = { lateFactor: 1.5, offlineFactor: 3, graceSeconds: 10 };

export function livenessOf(
  lastSeenAt: number | null,
  intervalSeconds: number,
  now: number,
  t: StatusThresholds = DEFAULT_THRESHOLDS,
): Liveness {
  if (lastSeenAt === null) return 'offline';
  const silentSeconds = (now - lastSeenAt) / 1000;
  if (silentSeconds > t.offlineFactor * intervalSeconds + t.graceSeconds) return 'offline';
  if (silentSeconds > t.lateFactor * intervalSeconds) return 'late';
  return 'online';
}
