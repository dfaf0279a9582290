import type { ErrorCode } from '../../shared/errors';

const STATUS_OF: Record<ErrorCode, number> = {
  bad_request: 400,
  bad_id: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

/** The one error type of the core: routers turn it into the JSON error envelope. */
export class FleetError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'FleetError';
    this.status = STATUS_OF[code];
  }
}
