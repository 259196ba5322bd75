// Small fetch wrapper shared by connectors that have no vendor SDK: timeouts, JSON bodies and the
// translation of HTTP failures into the engine's error classes.
import { ConnectorRequestError, type ConnectorError, type ErrorKind } from './contract.ts';

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Serialised as JSON unless a string or Buffer. */
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function kindForStatus(status: number): ErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status >= 500) return 'retryable';
  return 'invalid';
}

/** Errors thrown by fetch itself (DNS, refused, reset, abort on timeout) are worth retrying. */
export function classifyNetworkError(error: unknown): ConnectorError {
  if (error instanceof ConnectorRequestError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return { kind: 'retryable', message: `network error: ${message}${cause}` };
}

function describe(body: unknown): string {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const text = record.message ?? record.error ?? record.detail;
    if (typeof text === 'string') return text.slice(0, 300);
  }
  return typeof body === 'string' ? body.slice(0, 300) : '';
}

export async function httpJson<T>(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse<T>> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') body = options.body;
    else if (Buffer.isBuffer(options.body)) body = new Uint8Array(options.body);
    else {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  let response: Response;
  try {
    response = await fetch(url, { method: options.method ?? 'GET', headers, body, signal });
  } catch (error) {
    throw new ConnectorRequestError(classifyNetworkError(error), { cause: error });
  }
  const text = await response.text().catch((error: unknown) => {
    throw new ConnectorRequestError(classifyNetworkError(error), { cause: error });
  });
  let parsed: unknown = text;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    const record = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    const code = record.errorCode ?? record.code;
    throw new ConnectorRequestError({
      kind: kindForStatus(response.status),
      status: response.status,
      code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
      message: `HTTP ${response.status}${describe(parsed) ? `: ${describe(parsed)}` : ''}`,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    });
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}
