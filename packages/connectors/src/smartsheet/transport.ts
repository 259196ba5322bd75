// The HTTP layer under the official SDK. The SDK builds URLs, query strings and headers itself, but
// sends them with a bare axios (no timeout) and, on failure, hands callers an object stripped of
// its response headers (so Retry-After is lost) — or a TypeError for network errors. Its own
// requestor accepts a `request` (axios-shaped) and a `handleResponse` hook: we plug in fetch with a
// timeout and the caller's AbortSignal, and a response handler that keeps what classification needs.
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseRetryAfter } from '../http.ts';

/** What the SDK's requestor passes as axios config: `{ url, headers, params, responseEncoding }`. */
interface RequestConfig {
  headers?: Record<string, unknown>;
  params?: Record<string, unknown>;
  data?: unknown;
}

interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
  /** Set when no HTTP response arrived (refused, reset, timed out). */
  networkError?: unknown;
}

/** The error shape the SDK rejects with (after omitting `headers` and `body`). */
export interface SmartsheetSdkError {
  /** 0 when no response arrived. */
  statusCode: number;
  errorCode?: number;
  message: string;
  refId?: string;
  detail?: unknown;
  retryAfterMs?: number;
  network?: boolean;
}

export function isSmartsheetSdkError(value: unknown): value is SmartsheetSdkError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { statusCode?: unknown }).statusCode === 'number' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Carries a call's AbortSignal down to fetch (the SDK passes no signal through). */
const callSignal = new AsyncLocalStorage<AbortSignal | undefined>();

export function withSignal<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  return callSignal.run(signal, run);
}

function buildUrl(url: string, params: Record<string, unknown> | undefined): string {
  if (!params) return url;
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    // Smartsheet lists are comma-separated (ids=1,2,3), never repeated keys.
    target.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return target.toString();
}

function describeNetworkError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `network error: ${message}${cause}`;
}

/** An axios-shaped `request` for the SDK's requestor, on fetch. Rejects with `{ response }` like axios. */
export function createFetchRequest(timeoutMs: number) {
  async function send(method: string, url: string, body: unknown, config: RequestConfig = {}) {
    const timeout = AbortSignal.timeout(timeoutMs);
    const caller = callSignal.getStore();
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(config.headers ?? {})) {
      if (value !== undefined && value !== null) headers[name] = String(value);
    }
    let payload: string | undefined;
    if (body !== undefined && body !== null) payload = typeof body === 'string' ? body : JSON.stringify(body);
    let response: TransportResponse;
    try {
      const answer = await fetch(buildUrl(url, config.params), { method, headers, body: payload, signal });
      const text = await answer.text();
      const responseHeaders = Object.fromEntries(answer.headers.entries());
      let data: unknown = text;
      if (text && /\bjson\b/.test(responseHeaders['content-type'] ?? '')) {
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
      }
      response = { status: answer.status, headers: responseHeaders, data };
    } catch (error) {
      response = { status: 0, headers: {}, data: describeNetworkError(error), networkError: error };
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw Object.assign(new Error(`HTTP ${response.status}`), { response });
  }
  return {
    get: (url: string, config?: RequestConfig) => send('GET', url, undefined, config),
    post: (url: string, body: unknown, config?: RequestConfig) => send('POST', url, body, config),
    put: (url: string, body: unknown, config?: RequestConfig) => send('PUT', url, body, config),
    patch: (url: string, body: unknown, config?: RequestConfig) => send('PATCH', url, body, config),
    delete: (url: string, config?: RequestConfig) => send('DELETE', url, config?.data, config),
  };
}

/**
 * The SDK's `handleResponse` hook: success → `{ content }`; failure → the error the SDK rejects
 * with, keeping Retry-After (as retryAfterMs, since the SDK strips `headers`) and network failures.
 */
export function handleSmartsheetResponse(response: TransportResponse | undefined) {
  if (!response) return { statusCode: 0, message: 'network error: no response', network: true };
  if (response.status >= 200 && response.status < 300) {
    return { statusCode: response.status, content: response.data };
  }
  if (response.status === 0) return { statusCode: 0, message: String(response.data), network: true };
  const body = (response.data && typeof response.data === 'object' ? response.data : {}) as Record<string, unknown>;
  const error: SmartsheetSdkError = {
    statusCode: response.status,
    message:
      typeof body.message === 'string'
        ? body.message
        : typeof response.data === 'string' && response.data
          ? response.data.slice(0, 300)
          : `HTTP ${response.status}`,
  };
  if (typeof body.errorCode === 'number') error.errorCode = body.errorCode;
  if (typeof body.refId === 'string') error.refId = body.refId;
  if (body.detail !== undefined) error.detail = body.detail;
  const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}
