// Counts the requests that reached a sandbox's handlers, per endpoint (method + route pattern), with
// their arrival times, so tests and benchmarks can check call counts and the peak request rate.
import type { RequestHandler } from 'express';
import { requestTime, systemClock, type Clock } from './clock.ts';

export interface RequestCounter {
  /**
   * Route-level middleware: `router.get('/v1/things/:id', counter.middleware, handler)`. It reads
   * the matched pattern from req.route, so counts are per pattern, not per concrete URL.
   */
  readonly middleware: RequestHandler;
  record(endpoint: string, at?: number): void;
  readonly total: number;
  /** Count for one endpoint, e.g. 'GET /v1/collections/:c/records'. */
  count(endpoint: string): number;
  byEndpoint(): Record<string, number>;
  /** Arrival times (ms) of every counted request, or of one endpoint's, in arrival order. */
  timestamps(endpoint?: string): number[];
  /** The most requests any sliding window of `windowMs` contained: max over t of |(t - W, t]|. */
  maxRequestsInWindow(windowMs: number, endpoint?: string): number;
  reset(): void;
}

/** Largest number of sorted timestamps inside any half-open window (t - W, t]. */
export function maxInWindow(sortedTimestamps: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < sortedTimestamps.length; end++) {
    const t = sortedTimestamps[end] as number;
    while ((sortedTimestamps[start] as number) <= t - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export function createRequestCounter(options: { clock?: Clock } = {}): RequestCounter {
  const clock = options.clock ?? systemClock;
  let log: { endpoint: string; at: number }[] = [];
  const counts = new Map<string, number>();

  const record = (endpoint: string, at = clock()) => {
    log.push({ endpoint, at });
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
  };

  const middleware: RequestHandler = (req, res, next) => {
    const route = (req.route as { path?: unknown } | undefined)?.path;
    const pattern = typeof route === 'string' ? `${req.baseUrl}${route}` : req.path;
    record(`${req.method} ${pattern}`, requestTime(res, clock));
    next();
  };

  const timestamps = (endpoint?: string) =>
    log.filter((entry) => endpoint === undefined || entry.endpoint === endpoint).map((entry) => entry.at);

  return {
    middleware,
    record,
    get total() {
      return log.length;
    },
    count: (endpoint) => counts.get(endpoint) ?? 0,
    byEndpoint: () => Object.fromEntries(counts),
    timestamps,
    maxRequestsInWindow(windowMs, endpoint) {
      return maxInWindow(
        timestamps(endpoint).sort((a, b) => a - b),
        windowMs,
      );
    },
    reset() {
      log = [];
      counts.clear();
    },
  };
}
