// Asana failures → the engine's error classes, at the edge.
// https://developers.asana.com/docs/errors, https://developers.asana.com/docs/rate-limits
//   429: wait Retry-After (seconds; Asana always sends it). 5xx, 408 and network failures (refused,
//   reset, superagent's ECONNABORTED timeout): retry. 401 (bad or expired token) and 403
//   (forbidden): credentials. 402 (premium-only feature) and other 4xx: the request is wrong.
//   Bodies are `{ errors: [{ message, help | phrase }] }`; their messages become ours.
import { ConnectorRequestError, type ConnectorError } from '../contract.ts';
import { classifyNetworkError, kindForStatus, parseRetryAfter } from '../http.ts';
import { ASANA_WINDOW_MS } from './limits.ts';

/** What the SDK (superagent) rejects with for an HTTP error. */
export interface AsanaSdkError {
  status: number;
  response?: {
    body?: { errors?: { message?: string; help?: string; phrase?: string }[] } | string | null;
    headers?: Record<string, string | undefined>;
    text?: string;
  };
}

export function isAsanaSdkError(error: unknown): error is AsanaSdkError {
  if (!error || typeof error !== 'object') return false;
  const candidate = error as { status?: unknown; response?: unknown };
  return (
    typeof candidate.status === 'number' &&
    candidate.status >= 100 &&
    candidate.status < 600 &&
    typeof candidate.response === 'object' &&
    candidate.response !== null
  );
}

/** The messages of Asana's error body, joined. */
export function asanaMessages(error: AsanaSdkError): string {
  const body = error.response?.body;
  if (body && typeof body === 'object' && Array.isArray(body.errors)) {
    return body.errors
      .map((entry) => entry.message ?? '')
      .filter(Boolean)
      .join('; ')
      .slice(0, 500);
  }
  const text = typeof body === 'string' ? body : (error.response?.text ?? '');
  return text.slice(0, 300);
}

export function fromSdkError(error: AsanaSdkError): ConnectorError {
  const status = error.status;
  const kind = kindForStatus(status);
  const text = asanaMessages(error);
  const result: ConnectorError = { kind, status, message: `HTTP ${status}${text ? `: ${text}` : ''}` };
  if (kind === 'rate_limited') {
    result.retryAfterMs = parseRetryAfter(error.response?.headers?.['retry-after']) ?? ASANA_WINDOW_MS;
  }
  return result;
}

/** Anything thrown while talking to Asana → retryable / rate_limited / auth / invalid. */
export function classifyAsanaError(error: unknown): ConnectorError {
  if (error instanceof ConnectorRequestError) return error.toJSON();
  if (isAsanaSdkError(error)) return fromSdkError(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNABORTED') {
    const message = error instanceof Error ? error.message : 'timeout';
    return { kind: 'retryable', message: `timeout: ${message}` };
  }
  return classifyNetworkError(error);
}
