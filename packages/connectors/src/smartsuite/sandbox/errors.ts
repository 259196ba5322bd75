// SmartSuite's error answers, in Django REST Framework's shapes (the API is served by DRF: trailing
// slashes, `Token` authentication, `{ "detail": … }` bodies). Field errors are keyed by field slug,
// and bulk requests answer them per record, by position, under `items`. Status codes follow the
// API reference (422 for validation, 429 when throttled); the exact wording is DRF's default, an
// assumption where SmartSuite publishes none.

export class SmartSuiteApiError extends Error {
  override name = 'SmartSuiteApiError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;

  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'object' && body && 'detail' in body ? String(body.detail) : `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** `{ slug: ["message"] }` for each problem. */
export type FieldErrors = Record<string, string[]>;

export const smartsuiteErrors = {
  notAuthenticated: () => new SmartSuiteApiError(401, { detail: 'Authentication credentials were not provided.' }),
  invalidToken: () => new SmartSuiteApiError(401, { detail: 'Invalid token.' }),
  forbidden: () => new SmartSuiteApiError(403, { detail: 'You do not have permission to perform this action.' }),
  notFound: () => new SmartSuiteApiError(404, { detail: 'Not found.' }),
  /** https://developers.smartsuite.com/docs/rate-limits: 429, then wait (30 s) before retrying. */
  throttled: (retryAfterMs: number) => {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new SmartSuiteApiError(
      429,
      { detail: `Request was throttled. Expected available in ${seconds} seconds.` },
      { 'Retry-After': String(seconds) },
    );
  },
  badRequest: (errors: FieldErrors | { detail: string }) => new SmartSuiteApiError(400, errors),
  /** A single record's field errors. */
  invalidRecord: (errors: FieldErrors) => new SmartSuiteApiError(422, errors),
  /** A bulk request: one entry per record, `{}` for those without problems. */
  invalidRecords: (perRecord: FieldErrors[]) => new SmartSuiteApiError(422, { items: perRecord }),
  invalidItems: (message: string) => new SmartSuiteApiError(422, { items: [message] }),
  internal: (status = 500) => new SmartSuiteApiError(status, { detail: 'A server error occurred.' }),
};
