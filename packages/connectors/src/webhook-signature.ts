// HMAC helpers for webhook verification. Always compare in constant time, always over the raw
// body as received (never re-serialised JSON), always check the timestamp's age.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha256' | 'sha1' | 'sha512';

export function hmac(algorithm: HmacAlgorithm, secret: string | Buffer, content: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHmac(algorithm, secret).update(content).digest(encoding);
}

/** Constant-time string comparison that does not leak length through early exit. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(left, left); // spend comparable time either way
    return false;
  }
  return timingSafeEqual(left, right);
}

/** True when `timestamp` (ms since epoch) is within `toleranceMs` of now, in either direction. */
export function isFresh(timestampMs: number, now: Date, toleranceMs = 5 * 60 * 1000): boolean {
  return Number.isFinite(timestampMs) && Math.abs(now.getTime() - timestampMs) <= toleranceMs;
}

export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name.toLowerCase()] ?? headers[name];
  return Array.isArray(value) ? value[0] : value;
}
