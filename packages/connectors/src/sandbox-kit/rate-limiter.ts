// Per-credential sliding-window limiter: never more than N admitted requests in any window of W ms.
// Answers with the vendor's 429 (each sandbox supplies its body and headers).
import type { Request, RequestHandler, Response } from 'express';
import { requestTime, systemClock, type Clock } from './clock.ts';
import { defaultRateLimitResponse, sendVendorResponse, type RateLimitInfo, type VendorResponse } from './responses.ts';

export interface RateLimitConfig {
  requestsPerWindow: number;
  windowMs: number;
}

export type RateLimitDecision =
  | { allowed: true; limit: number; remaining: number }
  | { allowed: false; limit: number; remaining: 0; retryAfterMs: number };

/** The pure sliding-window log, usable without HTTP. */
export class SlidingWindowLog {
  private readonly admitted = new Map<string, number[]>();
  private config: RateLimitConfig;

  constructor(config: RateLimitConfig) {
    SlidingWindowLog.check(config);
    this.config = { ...config };
  }

  private static check(config: RateLimitConfig): void {
    if (!(Number.isInteger(config.requestsPerWindow) && config.requestsPerWindow > 0)) {
      throw new RangeError(`requestsPerWindow must be a positive integer, got ${config.requestsPerWindow}`);
    }
    if (!(config.windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${config.windowMs}`);
  }

  get settings(): Readonly<RateLimitConfig> {
    return this.config;
  }

  configure(config: Partial<RateLimitConfig>): void {
    const next = { ...this.config, ...config };
    SlidingWindowLog.check(next);
    this.config = next;
  }

  /** Admits a request at `now` when fewer than N were admitted in (now - W, now]. */
  tryAcquire(key: string, now: number): RateLimitDecision {
    const { requestsPerWindow: limit, windowMs } = this.config;
    let log = this.admitted.get(key);
    if (!log) this.admitted.set(key, (log = []));
    let expired = 0;
    while (expired < log.length && (log[expired] as number) <= now - windowMs) expired++;
    if (expired > 0) log.splice(0, expired);
    if (log.length >= limit) {
      // The oldest request that still counts leaves the window at oldest + W; the one that would
      // make room for us is the (length - limit + 1)th oldest.
      const freeing = log[log.length - limit] as number;
      return { allowed: false, limit, remaining: 0, retryAfterMs: Math.max(1, freeing + windowMs - now) };
    }
    log.push(now);
    return { allowed: true, limit, remaining: limit - log.length };
  }

  reset(): void {
    this.admitted.clear();
  }
}

export interface RateLimiterOptions extends RateLimitConfig {
  /** The credential a request uses (null: not limited, e.g. unauthenticated requests). */
  keyOf: (req: Request) => string | null;
  clock?: Clock;
  /** The vendor's 429. */
  rejectResponse?: (info: RateLimitInfo) => VendorResponse;
  /** Headers on admitted responses (default X-RateLimit-Limit / X-RateLimit-Remaining). */
  admittedHeaders?: (info: RateLimitInfo) => Record<string, string>;
}

export interface RateLimiter {
  readonly config: Readonly<RateLimitConfig>;
  configure(config: Partial<RateLimitConfig>): void;
  /** Forgets every admitted request (and the rejection count). */
  reset(): void;
  /** Requests answered 429 by the limiter since the last reset. */
  readonly rejected: number;
  readonly middleware: RequestHandler;
}

function defaultAdmittedHeaders(info: RateLimitInfo): Record<string, string> {
  return { 'X-RateLimit-Limit': String(info.limit), 'X-RateLimit-Remaining': String(info.remaining) };
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const log = new SlidingWindowLog({ requestsPerWindow: options.requestsPerWindow, windowMs: options.windowMs });
  const clock = options.clock ?? systemClock;
  const reject = options.rejectResponse ?? defaultRateLimitResponse;
  const admittedHeaders = options.admittedHeaders ?? defaultAdmittedHeaders;
  let rejected = 0;

  const middleware: RequestHandler = (req: Request, res: Response, next) => {
    const key = options.keyOf(req);
    if (key === null) return next();
    const decision = log.tryAcquire(key, requestTime(res, clock));
    if (!decision.allowed) {
      rejected += 1;
      sendVendorResponse(res, reject({ limit: decision.limit, remaining: 0, retryAfterMs: decision.retryAfterMs }));
      return;
    }
    res.set(admittedHeaders({ limit: decision.limit, remaining: decision.remaining, retryAfterMs: 0 }));
    next();
  };

  return {
    get config() {
      return log.settings;
    },
    configure: (config) => log.configure(config),
    reset() {
      log.reset();
      rejected = 0;
    },
    get rejected() {
      return rejected;
    },
    middleware,
  };
}
