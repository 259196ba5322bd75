/** Error codes shared by engine and api; mapped to tRPC codes and HTTP statuses in one place each. */
export type AppErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VALIDATION'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  /** Too many attempts by this caller (sign-in throttling); not an upstream limit. */
  | 'RATE_LIMITED'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_AUTH'
  | 'UPSTREAM_INVALID'
  | 'PRECONDITION_FAILED'
  | 'INTERNAL';

export class AppError extends Error {
  override name = 'AppError';
  readonly code: AppErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

export const httpStatusForCode: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UPSTREAM_RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_AUTH: 502,
  UPSTREAM_INVALID: 502,
  PRECONDITION_FAILED: 412,
  INTERNAL: 500,
};
