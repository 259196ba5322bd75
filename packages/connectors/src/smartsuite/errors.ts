// SmartSuite failures → the engine's error classes. SmartSuite answers errors in Django REST
// Framework's shapes: `{ "detail": "…" }` (401, 403, 404, 429) and field errors keyed by field slug,
// `{ "title": ["This field is required."] }` (422); bulk requests name the offending records by
// position, `{ "items": [{}, { "title": ["…"] }] }`. A 429 means "wait 30 seconds" when no
// Retry-After says otherwise. https://developers.smartsuite.com/docs/rate-limits
import { ConnectorRequestError, type ConnectorError } from '../contract.ts';
import { classifyNetworkError } from '../http.ts';
import { SMARTSUITE_RATE_LIMIT_WAIT_MS } from './limits.ts';

/** A non-2xx answer, with the parsed body kept for per-record blame. */
export class SmartSuiteHttpError extends ConnectorRequestError {
  override name = 'SmartSuiteHttpError';
  readonly body: unknown;

  constructor(error: ConnectorError, body: unknown) {
    super(error);
    this.body = body;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `{ slug: ["msg", …] }` → "slug: msg; other: msg" (bounded). */
function fieldErrors(errors: Record<string, unknown>): string {
  return Object.entries(errors)
    .map(([field, messages]) => {
      const text = Array.isArray(messages)
        ? messages.filter((m) => typeof m === 'string').join(' ')
        : typeof messages === 'string'
          ? messages
          : 'invalid';
      return `${field}: ${text}`;
    })
    .join('; ')
    .slice(0, 300);
}

/** A short, secret-free description of an error body. */
export function describeSmartSuiteError(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (Array.isArray(body)) return describeSmartSuiteError({ items: body });
  if (!isRecord(body)) return '';
  if (typeof body.detail === 'string') return body.detail.slice(0, 300);
  if (Array.isArray(body.items)) {
    const blamed = blamedRecordIndexes(body);
    if (blamed.size > 0)
      return [...blamed]
        .map(([i, text]) => `items[${i}]: ${text}`)
        .join('; ')
        .slice(0, 300);
  }
  return fieldErrors(body);
}

/** Positions of the records a bulk 422 blames (`{ items: [{}, { title: [...] }] }` → 1). */
export function blamedRecordIndexes(body: unknown): Map<number, string> {
  const blamed = new Map<number, string>();
  const items = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.items) ? body.items : null;
  if (!items) return blamed;
  items.forEach((entry, index) => {
    if (isRecord(entry) && Object.keys(entry).length > 0) blamed.set(index, fieldErrors(entry));
  });
  return blamed;
}

/** Anything thrown while talking to SmartSuite → retryable / rate_limited / auth / invalid. */
export function classifySmartSuiteError(error: unknown): ConnectorError {
  const classified = error instanceof ConnectorRequestError ? error.toJSON() : classifyNetworkError(error);
  if (classified.kind === 'rate_limited' && classified.retryAfterMs === undefined) {
    return { ...classified, retryAfterMs: SMARTSUITE_RATE_LIMIT_WAIT_MS };
  }
  return classified;
}

export function errorBodyOf(error: unknown): unknown {
  return error instanceof SmartSuiteHttpError ? error.body : undefined;
}
