import { ERROR_CATALOGUE, type ErrorCode } from '../../shared/errors';

/** The one text the operator sees (API reply and UI banner) when the data directory's disk is full. */
export const STORAGE_FULL_MESSAGE =
  'The disk holding the FleetDesk data directory is full: this change was not saved. Free some space and try again; everything saved before is kept.';

/** SQLite's SQLITE_FULL or the file system's ENOSPC, however deep the error came from. */
export function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

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
