/** The one JSON error envelope every 4xx/5xx reply carries, on both listeners. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export const ERROR_CODES = [
  'bad_request', // malformed JSON, failed validation
  'bad_id', // device id neither MAC-like nor the safe legacy pattern
  'unauthorized', // missing or wrong token / session
  'forbidden', // wrong Host / Origin, blocked device, legacy protocol off
  'not_found',
  'conflict', // e.g. known device registering without its token
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
