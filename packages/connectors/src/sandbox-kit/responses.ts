import type { Response } from 'express';

/** A vendor-shaped reply: each sandbox decides the body and headers its real API would send. */
export interface VendorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function sendVendorResponse(res: Response, response: VendorResponse): void {
  if (response.headers) res.set(response.headers);
  res.status(response.status).json(response.body);
}

export interface RateLimitInfo {
  limit: number;
  remaining: number;
  /** Time until a request would be admitted again. */
  retryAfterMs: number;
}

/** Generic 429: `Retry-After` in whole seconds (at least 1) plus X-RateLimit-* headers. */
export function defaultRateLimitResponse(info: RateLimitInfo): VendorResponse {
  const seconds = Math.max(1, Math.ceil(info.retryAfterMs / 1000));
  return {
    status: 429,
    body: { error: 'rate_limited', message: `Rate limit exceeded; retry in ${seconds} s.` },
    headers: {
      'Retry-After': String(seconds),
      'X-RateLimit-Limit': String(info.limit),
      'X-RateLimit-Remaining': '0',
    },
  };
}

export function defaultErrorResponse(status: number): VendorResponse {
  return { status, body: { error: 'server_error', message: `Simulated upstream failure (${status}).` } };
}
