// Switchable fault injection for sandboxes: random 5xx, 429, latency, hanging requests and dropped
// connections, plus failNext() for tests that need exactly the next n requests to fail one way.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { resolveRng, type RandomnessOptions } from './rng.ts';
import {
  defaultErrorResponse,
  defaultRateLimitResponse,
  sendVendorResponse,
  type VendorResponse,
} from './responses.ts';

export type FaultKind = 'error' | 'rate_limit' | 'timeout' | 'drop';

export interface FaultConfig {
  /** Share of requests answered 500/502/503 (0..1). */
  errorRate: number;
  /** Share of requests answered 429 (0..1), on top of the real rate limiter. */
  rateLimitRate: number;
  /** Delay added before every request is handled. */
  latencyMs: number;
  /** Share of requests left hanging until the client gives up (or the sandbox closes). */
  timeoutRate: number;
  /** Share of requests whose socket is destroyed without a response. */
  dropRate: number;
}

export interface FaultInjectorOptions extends RandomnessOptions {
  config?: Partial<FaultConfig>;
  /** Body and headers of an injected 5xx. */
  errorResponse?: (status: number) => VendorResponse;
  /** Body and headers of an injected 429 (use the same shape as the sandbox's rate limiter). */
  rateLimitResponse?: () => VendorResponse;
  /** Statuses an injected error picks from (default 500, 502, 503). */
  errorStatuses?: number[];
}

export interface FaultInjector {
  readonly config: Readonly<FaultConfig>;
  /** Changes some settings; the others keep their values. */
  set(config: Partial<FaultConfig>): void;
  /** Makes exactly the next `count` requests fail with `kind` (before any random fault). */
  failNext(count: number, kind: FaultKind, options?: { status?: number }): void;
  /** Back to no faults: rates and latency zero, queued failures dropped. */
  clear(): void;
  /** How many faults of each kind were injected so far. */
  readonly injected: Readonly<Record<FaultKind, number>>;
  /** Requests currently left hanging by a timeout fault. */
  readonly hanging: number;
  /** Destroys the sockets of hanging requests. */
  releaseHanging(): void;
  readonly middleware: RequestHandler;
}

const NO_FAULTS: FaultConfig = { errorRate: 0, rateLimitRate: 0, latencyMs: 0, timeoutRate: 0, dropRate: 0 };

function validate(config: FaultConfig): FaultConfig {
  for (const key of ['errorRate', 'rateLimitRate', 'timeoutRate', 'dropRate'] as const) {
    const value = config[key];
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${key} must be between 0 and 1, got ${value}`);
  }
  if (!(config.latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${config.latencyMs}`);
  return config;
}

export function createFaultInjector(options: FaultInjectorOptions = {}): FaultInjector {
  const rng = resolveRng(options);
  const errorResponse = options.errorResponse ?? defaultErrorResponse;
  const rateLimitResponse =
    options.rateLimitResponse ?? (() => defaultRateLimitResponse({ limit: 0, remaining: 0, retryAfterMs: 1000 }));
  const errorStatuses = options.errorStatuses ?? [500, 502, 503];
  let config = validate({ ...NO_FAULTS, ...options.config });
  const queued: { kind: FaultKind; status?: number }[] = [];
  const injected: Record<FaultKind, number> = { error: 0, rate_limit: 0, timeout: 0, drop: 0 };
  const hanging = new Set<Response>();

  function pickFault(): { kind: FaultKind; status?: number } | null {
    const next = queued.shift();
    if (next) return next;
    const roll = rng();
    let threshold = 0;
    for (const [kind, rate] of [
      ['drop', config.dropRate],
      ['timeout', config.timeoutRate],
      ['error', config.errorRate],
      ['rate_limit', config.rateLimitRate],
    ] as const) {
      threshold += rate;
      if (roll < threshold) return { kind };
    }
    return null;
  }

  function apply(req: Request, res: Response, next: NextFunction): void {
    const fault = pickFault();
    if (!fault) return next();
    injected[fault.kind] += 1;
    switch (fault.kind) {
      case 'drop':
        req.socket.destroy();
        return;
      case 'timeout':
        // Never answer; the client's timeout (or the sandbox closing) ends it.
        hanging.add(res);
        res.once('close', () => hanging.delete(res));
        return;
      case 'error': {
        const status = fault.status ?? errorStatuses[Math.floor(rng() * errorStatuses.length)] ?? 500;
        sendVendorResponse(res, errorResponse(status));
        return;
      }
      case 'rate_limit':
        sendVendorResponse(res, rateLimitResponse());
        return;
    }
  }

  const middleware: RequestHandler = (req, res, next) => {
    if (config.latencyMs <= 0) return apply(req, res, next);
    const timer = setTimeout(() => {
      if (!res.destroyed && !res.headersSent) apply(req, res, next);
    }, config.latencyMs);
    timer.unref(); // a pending delay must not keep the process alive after the sandbox closed
    res.once('close', () => clearTimeout(timer));
  };

  return {
    get config() {
      return config;
    },
    set(partial) {
      config = validate({ ...config, ...partial });
    },
    failNext(count, kind, failOptions) {
      for (let i = 0; i < count; i++) queued.push({ kind, status: failOptions?.status });
    },
    clear() {
      config = { ...NO_FAULTS };
      queued.length = 0;
    },
    injected,
    get hanging() {
      return hanging.size;
    },
    releaseHanging() {
      for (const res of hanging) res.socket?.destroy();
      hanging.clear();
    },
    middleware,
  };
}
