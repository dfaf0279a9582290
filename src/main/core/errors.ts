import { ERROR_CATALOGUE, type ErrorCode } from '../../shared/errors';

/** The one error type of the core: routers turn it into the JSON error envelope. */
export class FleetError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** sent as the Retry-After header (seconds) */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'FleetError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}

export type NotFoundKind = 'device' | 'profile' | 'firmware' | 'firmware image' | 'command' | 'config revision' | 'route';

/** The not_found of the catalogue: "no <kind> <id>", and why when the thing exists but not here. */
export function notFound(kind: NotFoundKind, id: string | number, why?: string): FleetError {
  return new FleetError('not_found', `no ${kind} ${id}${why === undefined ? '' : `: ${why}`}`);
}
