// Sheets failures → the engine's error classes. googleapis throws GaxiosErrors carrying the HTTP
// response; Google's body is { error: { code, message, status, errors: [{ reason }], details } }.
// The OAuth token endpoint answers { error: "invalid_grant", error_description } instead.
// https://developers.google.com/workspace/sheets/api/limits#exponential (truncated exponential backoff)
import { ConnectorRequestError, type ConnectorError } from '../contract.ts';
import { parseRetryAfter } from '../http.ts';
import { SHEETS_MAX_BACKOFF_MS } from './limits.ts';

export interface SheetsErrorContext {
  /** Where it failed: getting an access token, or calling the API (default). */
  stage?: 'token' | 'api';
  /** Quota errors in a row before this one (0 for the first): the backoff exponent. */
  quotaStreak?: number;
  /** Source of backoff jitter (default Math.random). */
  random?: () => number;
}

/** Google's advice: wait min(2^n seconds + up to 1 s of jitter, maximum backoff). */
export function googleBackoffMs(streak: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.floor(streak)), 16);
  return Math.min(2 ** exponent * 1000 + Math.floor(random() * 1000), SHEETS_MAX_BACKOFF_MS);
}

/** Quota reasons Google sends on 403 (older quota errors) and 429. */
const QUOTA_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'quotaExceeded',
  'RATE_LIMIT_EXCEEDED',
  'RESOURCE_EXHAUSTED',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'AbortError',
]);

interface ResponseLike {
  status: number;
  data?: unknown;
  headers?: unknown;
}

function responseOf(error: unknown): ResponseLike | null {
  if (!error || typeof error !== 'object') return null;
  const response = (error as { response?: unknown }).response;
  if (!response || typeof response !== 'object') return null;
  const status = (response as { status?: unknown }).status;
  return typeof status === 'number' ? (response as ResponseLike) : null;
}

function header(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== 'object') return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const value = (headers as Record<string, unknown>)[name] ?? (headers as Record<string, unknown>)[name.toLowerCase()];
  return typeof value === 'string' ? value : null;
}

/** ErrorInfo reasons (the precise ones) first, then the legacy `errors[].reason`. */
function reasonsOf(body: Record<string, unknown>): string[] {
  const reasons: string[] = [];
  for (const list of [body.details, body.errors]) {
    for (const item of Array.isArray(list) ? list : []) {
      const reason = (item as { reason?: unknown } | null)?.reason;
      if (typeof reason === 'string') reasons.push(reason);
    }
  }
  return reasons;
}

function isNetworkError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (typeof name === 'string' && NETWORK_CODES.has(name)) return true;
  // A GaxiosError without a response failed before any answer arrived (refused, reset, timeout).
  if ('config' in error && !responseOf(error)) return true;
  return cause !== undefined && cause !== error && isNetworkError(cause);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 300);
}

/** Classifies anything the Sheets client or google-auth-library threw. */
export function classifySheetsError(error: unknown, context: SheetsErrorContext = {}): ConnectorError {
  if (error instanceof ConnectorRequestError) return error.toJSON();
  const response = responseOf(error);
  if (!response) {
    if (isNetworkError(error)) return { kind: 'retryable', message: `network error: ${describe(error)}` };
    // google-auth-library throws plain errors for unusable credentials ("No refresh token is set.",
    // an unreadable private key): nothing a retry fixes.
    if (context.stage === 'token')
      return { kind: 'auth', message: `cannot obtain an access token: ${describe(error)}` };
    return { kind: 'retryable', message: describe(error) };
  }
  const { status } = response;
  const data = response.data && typeof response.data === 'object' ? (response.data as Record<string, unknown>) : {};
  const retryAfter = parseRetryAfter(header(response.headers, 'retry-after'));
  const backoff = () => retryAfter ?? googleBackoffMs(context.quotaStreak ?? 0, context.random);

  // The OAuth endpoint's own shape: invalid_grant (revoked refresh token), invalid_client, ...
  if (typeof data.error === 'string') {
    const description = typeof data.error_description === 'string' ? `: ${data.error_description}` : '';
    const message = `OAuth token request failed (HTTP ${status}): ${data.error}${description}`.slice(0, 300);
    if (status === 429) return { kind: 'rate_limited', status, code: data.error, message, retryAfterMs: backoff() };
    if (status >= 500) return { kind: 'retryable', status, code: data.error, message };
    return { kind: 'auth', status, code: data.error, message };
  }

  const body = data.error && typeof data.error === 'object' ? (data.error as Record<string, unknown>) : {};
  const googleStatus = typeof body.status === 'string' ? body.status : undefined;
  const text = typeof body.message === 'string' ? body.message : typeof response.data === 'string' ? response.data : '';
  const message = `HTTP ${status}${googleStatus ? ` ${googleStatus}` : ''}${text ? `: ${text}` : ''}`.slice(0, 300);
  const reasons = reasonsOf(body);
  const quota = status === 429 || (status === 403 && reasons.some((reason) => QUOTA_REASONS.has(reason)));
  const code = reasons[0] ?? googleStatus;
  if (quota) return { kind: 'rate_limited', status, code, message, retryAfterMs: backoff() };
  if (status === 401 || status === 403) return { kind: 'auth', status, code, message };
  if (status === 408 || status >= 500) return { kind: 'retryable', status, code, message };
  return { kind: 'invalid', status, code, message };
}
