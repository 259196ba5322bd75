export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** 0..1 share of the delay that is random (full jitter = 1). */
  jitter?: number;
  random?: () => number;
}

/** Exponential backoff with jitter: base·2^(attempt-1), capped, honouring a server's Retry-After. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, retryAfterMs?: number): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 5 * 60_000;
  const jitter = options.jitter ?? 0.5;
  const random = options.random ?? Math.random;
  const exponential = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const delay = exponential * (1 - jitter) + exponential * jitter * random();
  return Math.round(Math.max(delay, retryAfterMs ?? 0));
}
