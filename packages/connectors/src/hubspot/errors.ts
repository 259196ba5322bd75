// HubSpot failures → the engine's error classes, at the edge.
// https://developers.hubspot.com/docs/api-reference/error-handling
//   429 (category RATE_LIMITS; policyName TEN_SECONDLY_ROLLING, SECONDLY for search, DAILY): wait.
//   HubSpot sends no Retry-After for the rolling limits, so the wait is the window length from
//   X-HubSpot-RateLimit-Interval-Milliseconds (10 s when absent).
//   5xx, 408 and network failures: retry. 401 (INVALID_AUTHENTICATION, EXPIRED_AUTHENTICATION) and
//   403 (MISSING_SCOPES): credentials. Other 4xx (VALIDATION_ERROR, CONFLICT, OBJECT_NOT_FOUND, …):
//   the request is wrong; the category is the code.
import { ConnectorRequestError, type ConnectorError } from '../contract.ts';
import { classifyNetworkError, kindForStatus, parseRetryAfter } from '../http.ts';
import type { HubSpotBatchError } from './client.ts';
import { HUBSPOT_WINDOW_MS } from './limits.ts';

/** What the SDK rejects with for an HTTP error (ApiException). */
export interface HubSpotSdkError {
  code: number;
  body?:
    | {
        category?: string;
        message?: string;
        subCategory?: string;
        errors?: { message?: string; code?: string; _in?: string; in?: string; context?: Record<string, string[]> }[];
      }
    | string;
  headers?: Record<string, string>;
}

export function isHubSpotSdkError(error: unknown): error is HubSpotSdkError {
  if (!error || typeof error !== 'object') return false;
  const candidate = error as { code?: unknown; headers?: unknown };
  return typeof candidate.code === 'number' && candidate.code >= 100 && candidate.code < 600 && 'headers' in candidate;
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function fromSdkError(error: HubSpotSdkError): ConnectorError {
  const status = error.code;
  const body = typeof error.body === 'object' && error.body !== null ? error.body : undefined;
  const category = body?.category;
  const kind = category === 'RATE_LIMITS' ? 'rate_limited' : kindForStatus(status);
  const text = body?.message ?? (typeof error.body === 'string' ? error.body.slice(0, 300) : '');
  const result: ConnectorError = {
    kind,
    status,
    message: `HTTP ${status}${category ? ` ${category}` : ''}${text ? `: ${text}` : ''}`,
  };
  if (category) result.code = category;
  if (kind === 'rate_limited') {
    const interval = Number(headerOf(error.headers, 'x-hubspot-ratelimit-interval-milliseconds'));
    result.retryAfterMs =
      parseRetryAfter(headerOf(error.headers, 'retry-after')) ??
      (Number.isFinite(interval) && interval > 0 ? interval : HUBSPOT_WINDOW_MS);
  }
  return result;
}

/** One entry of a 207 response's `errors[]` (no HTTP status of its own). */
export function fromBatchError(error: HubSpotBatchError): ConnectorError {
  const category = error.category ?? 'UNKNOWN';
  const kind = category === 'RATE_LIMITS' ? 'rate_limited' : category === 'INTERNAL_ERROR' ? 'retryable' : 'invalid';
  const result: ConnectorError = { kind, code: category, message: `${category}: ${error.message ?? 'failed'}` };
  if (kind === 'rate_limited') result.retryAfterMs = HUBSPOT_WINDOW_MS;
  return result;
}

/** Anything thrown while talking to HubSpot → retryable / rate_limited / auth / invalid. */
export function classifyHubSpotError(error: unknown): ConnectorError {
  if (error instanceof ConnectorRequestError) return error.toJSON();
  if (isHubSpotSdkError(error)) return fromSdkError(error);
  return classifyNetworkError(error);
}

/** The SDK's own error behind a ConnectorRequestError thrown by the client (or the error itself). */
export function sdkErrorOf(error: unknown): HubSpotSdkError | null {
  const inner = error instanceof ConnectorRequestError ? error.cause : error;
  return isHubSpotSdkError(inner) ? inner : null;
}

/** The id HubSpot names in "Contact already exists. Existing ID: 123". */
export function existingIdOf(thrown: unknown): string | null {
  const error = sdkErrorOf(thrown);
  if (!error || error.code !== 409 || typeof error.body !== 'object' || !error.body) return null;
  const texts = [error.body.message, ...(error.body.errors ?? []).map((detail) => detail.message)];
  for (const text of texts) {
    const match = /Existing ID: (\d+)/.exec(text ?? '');
    if (match?.[1]) return match[1];
  }
  return null;
}
