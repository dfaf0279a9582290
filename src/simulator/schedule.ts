/** When the firmware loop checks in next: pure functions of what just happened, so they are easy to reason about. */
import { HttpError } from './http-client';
import type { Random } from './telemetry';

const MAX_BACKOFF_SECONDS = 60;

/** After a successful check-in. */
export function nextCheckinDelayMs(args: {
  /** acks, an OTA report, a new cfgsn or a re-registration waits to be reported */
  somethingToReport: boolean;
  /** long-poll seconds asked for (0: none) */
  wait: number;
  /** the server held the request (so it supports long-poll and nothing happened) */
  held: boolean;
  /** the reply carried work */
  news: boolean;
  intervalSeconds: number;
  random: Random;
}): number {
  if (args.somethingToReport) return 0;
  if (args.wait > 0 && (args.held || args.news)) return 0; // long-poll again at once
  return args.intervalSeconds * 1000 * (0.9 + args.random() * 0.2);
}

/**
 * After a failure: exponential backoff with jitter, capped by the interval; the server's
 * Retry-After wins; 409 (someone holds this MAC's token) waits minutes as docs/protocol.md asks;
 * a 401 that just dropped the session re-registers at once.
 */
export function backoffMs(error: unknown, failures: number, args: { intervalSeconds: number; needsRegistration: boolean; random: Random }): number {
  const { intervalSeconds, random } = args;
  if (error instanceof HttpError && error.retryAfterSeconds) return error.retryAfterSeconds * 1000 * (1 + random() * 0.2);
  if (error instanceof HttpError && error.status === 409) return Math.max(120, intervalSeconds) * 1000 * (0.8 + random() * 0.4);
  if (error instanceof HttpError && error.status === 401 && args.needsRegistration && failures <= 1) return 0;
  return Math.min(MAX_BACKOFF_SECONDS, intervalSeconds, 2 ** Math.min(failures, 6)) * 1000 * (0.5 + random() / 2);
}
