// Google's JSON error shape (https://cloud.google.com/apis/design/errors#http_mapping):
//   { "error": { "code": 400, "message": "...", "status": "INVALID_ARGUMENT", "errors": [...], "details": [...] } }
// The `errors` array is the legacy v1 shape Google still sends for most 4xx; quota errors carry a
// google.rpc.ErrorInfo detail with reason RATE_LIMIT_EXCEEDED.
import type { VendorResponse } from '../../sandbox-kit/responses.ts';

export type GoogleStatus =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'RESOURCE_EXHAUSTED'
  | 'INTERNAL'
  | 'UNAVAILABLE';

const LEGACY_REASON: Record<number, string> = {
  400: 'badRequest',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
};

export function googleErrorBody(
  code: number,
  message: string,
  status: GoogleStatus,
  extra: Record<string, unknown> = {},
) {
  const reason = LEGACY_REASON[code];
  return {
    error: {
      code,
      message,
      ...(reason ? { errors: [{ message, domain: 'global', reason }] } : {}),
      status,
      ...extra,
    },
  };
}

/** Thrown by the store and routes; the sandbox's error handler turns it into Google's body. */
export class SheetsApiError extends Error {
  override name = 'SheetsApiError';
  readonly code: 400 | 401 | 403 | 404 | 500;
  readonly status: GoogleStatus;

  constructor(code: 400 | 401 | 403 | 404 | 500, message: string, status: GoogleStatus) {
    super(message);
    this.code = code;
    this.status = status;
  }

  toResponse(): VendorResponse {
    const headers: Record<string, string> =
      this.code === 401
        ? { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' }
        : {};
    return { status: this.code, body: googleErrorBody(this.code, this.message, this.status), headers };
  }

  static invalid(message: string): SheetsApiError {
    return new SheetsApiError(400, message, 'INVALID_ARGUMENT');
  }

  static notFound(message = 'Requested entity was not found.'): SheetsApiError {
    return new SheetsApiError(404, message, 'NOT_FOUND');
  }

  static permissionDenied(message = 'The caller does not have permission'): SheetsApiError {
    return new SheetsApiError(403, message, 'PERMISSION_DENIED');
  }
}

export const UNAUTHENTICATED_MESSAGE =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
export const MISSING_CREDENTIALS_MESSAGE =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export type QuotaKind = 'read' | 'write';
export type QuotaScope = 'project' | 'user';

/** The 429 a quota rejection gets (shape seen from sheets.googleapis.com). */
export function quotaExceededResponse(input: {
  kind: QuotaKind;
  scope: QuotaScope;
  limit: number;
  projectNumber: string;
  retryAfterMs?: number;
}): VendorResponse {
  const metric = input.kind === 'read' ? 'Read requests' : 'Write requests';
  const limitName = `${metric} per minute${input.scope === 'user' ? ' per user' : ''}`;
  const quotaLimit = `${input.kind === 'read' ? 'Read' : 'Write'}RequestsPerMinutePer${input.scope === 'user' ? 'User' : 'Project'}`;
  const message = `Quota exceeded for quota metric '${metric}' and limit '${limitName}' of service 'sheets.googleapis.com' for consumer 'project_number:${input.projectNumber}'.`;
  return {
    status: 429,
    body: {
      error: {
        code: 429,
        message,
        status: 'RESOURCE_EXHAUSTED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'RATE_LIMIT_EXCEEDED',
            domain: 'googleapis.com',
            metadata: {
              service: 'sheets.googleapis.com',
              consumer: `projects/${input.projectNumber}`,
              quota_metric: `sheets.googleapis.com/${input.kind}_requests`,
              quota_limit: quotaLimit,
              quota_limit_value: String(input.limit),
            },
          },
        ],
      },
    },
    // Sheets does not send Retry-After; the sandbox can, to exercise clients that honour it.
    headers:
      input.retryAfterMs === undefined
        ? {}
        : { 'Retry-After': String(Math.max(1, Math.ceil(input.retryAfterMs / 1000))) },
  };
}

/** Injected 5xx in Google's shape. */
export function serverErrorResponse(status: number): VendorResponse {
  if (status === 503)
    return { status, body: googleErrorBody(503, 'The service is currently unavailable.', 'UNAVAILABLE') };
  if (status === 502) return { status, body: googleErrorBody(502, 'Bad Gateway', 'UNAVAILABLE') };
  return { status, body: googleErrorBody(status, 'Internal error encountered.', 'INTERNAL') };
}
