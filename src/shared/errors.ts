/** The one JSON error envelope every 4xx/5xx reply carries, on both listeners. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * The error catalogue: every code a reply can carry, its HTTP status, and the shape its message
 * takes, so a client can rely on the code and a reader of logs on the words.
 */
export const ERROR_CATALOGUE = {
  /** "<what is wrong with the request>"; validation failures list each field in details */
  bad_request: { status: 400 },
  /** always the one sentence of core/ids.ts: the id is neither MAC-like nor the safe legacy pattern */
  bad_id: { status: 400 },
  /** "<what credential is missing or wrong>; <how to get a valid one>" */
  unauthorized: { status: 401 },
  /** "<what refused the call>" (wrong Host / Origin, blocked device, legacy protocol off) */
  forbidden: { status: 403 },
  /** "no <kind> <id>" with an optional ": <why>" (see notFound in core/errors.ts) */
  not_found: { status: 404 },
  /** "<thing> is <its state>; <what to do instead>" */
  conflict: { status: 409 },
  /** "<what> is limited to <limit>" */
  payload_too_large: { status: 413 },
  /** "<what to send instead>" */
  unsupported_media_type: { status: 415 },
  /** "<what was refused>; <when to retry>" */
  rate_limited: { status: 429 },
  /** "<what is full> (<cap>): <how to make room>"; the fleet or pending cap an operator sets */
  capacity_reached: { status: 503 },
  /** always "internal error": nothing internal reaches a client */
  internal: { status: 500 },
  /** always the one sentence of core/errors.ts: the data directory's disk is full, nothing was saved */
  storage_full: { status: 507 },
} as const satisfies Record<string, { status: number }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
