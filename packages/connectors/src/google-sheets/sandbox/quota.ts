// Sheets API per-minute quotas, kept separately for reads and writes, per project and per user:
// https://developers.google.com/workspace/sheets/api/limits (300 per project, 60 per user per
// project, each per minute; over it: 429 RESOURCE_EXHAUSTED). Built on the kit's sliding-window log
// (never more than N in any window of W ms), so windows can be shortened for tests.
import type { RequestHandler } from 'express';
import { requestTime, systemClock, type Clock } from '../../sandbox-kit/clock.ts';
import { SlidingWindowLog } from '../../sandbox-kit/rate-limiter.ts';
import { sendVendorResponse } from '../../sandbox-kit/responses.ts';
import { quotaExceededResponse, type QuotaKind, type QuotaScope } from './errors.ts';

export interface SheetsQuotaConfig {
  /** Read requests per window for the whole project (default 300). */
  readsPerWindow: number;
  /** Write requests per window for the whole project (default 300). */
  writesPerWindow: number;
  /** Read requests per window per user (default 60). */
  readsPerUserPerWindow: number;
  /** Write requests per window per user (default 60). */
  writesPerUserPerWindow: number;
  /** Default 60 000 (a minute). */
  windowMs: number;
}

export const DEFAULT_SHEETS_QUOTA: SheetsQuotaConfig = {
  readsPerWindow: 300,
  writesPerWindow: 300,
  readsPerUserPerWindow: 60,
  writesPerUserPerWindow: 60,
  windowMs: 60_000,
};

export interface SheetsQuota {
  readonly config: Readonly<SheetsQuotaConfig>;
  configure(config: Partial<SheetsQuotaConfig>): void;
  /** Forgets every admitted request and the rejection counts. */
  reset(): void;
  /** Requests answered 429, in total and per kind/scope. */
  readonly rejected: number;
  readonly rejections: Readonly<Record<`${QuotaKind}:${QuotaScope}`, number>>;
  /**
   * Mounted after authentication: reads `res.locals.user`. GET is a read; POST and PUT are writes.
   * A request is checked against the user's quota first, then the project's.
   */
  readonly middleware: RequestHandler;
}

export function createSheetsQuota(options: {
  config?: Partial<SheetsQuotaConfig>;
  clock?: Clock;
  projectNumber?: string;
  /** Send Retry-After on quota 429s (Sheets itself does not). */
  retryAfter?: boolean;
}): SheetsQuota {
  const clock = options.clock ?? systemClock;
  const projectNumber = options.projectNumber ?? '123456789012';
  let config: SheetsQuotaConfig = { ...DEFAULT_SHEETS_QUOTA, ...options.config };
  const limitOf = (kind: QuotaKind, scope: QuotaScope) =>
    kind === 'read'
      ? scope === 'user'
        ? config.readsPerUserPerWindow
        : config.readsPerWindow
      : scope === 'user'
        ? config.writesPerUserPerWindow
        : config.writesPerWindow;
  const logs = new Map<`${QuotaKind}:${QuotaScope}`, SlidingWindowLog>();
  const build = () => {
    for (const kind of ['read', 'write'] as const)
      for (const scope of ['user', 'project'] as const)
        logs.set(
          `${kind}:${scope}`,
          new SlidingWindowLog({ requestsPerWindow: limitOf(kind, scope), windowMs: config.windowMs }),
        );
  };
  build();
  const rejections = { 'read:user': 0, 'read:project': 0, 'write:user': 0, 'write:project': 0 };

  const middleware: RequestHandler = (req, res, next) => {
    const kind: QuotaKind = req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write';
    const user = (res.locals as { user?: string }).user ?? 'anonymous';
    const now = requestTime(res, clock);
    for (const scope of ['user', 'project'] as const) {
      const decision = (logs.get(`${kind}:${scope}`) as SlidingWindowLog).tryAcquire(
        scope === 'user' ? user : 'project',
        now,
      );
      if (!decision.allowed) {
        rejections[`${kind}:${scope}`] += 1;
        sendVendorResponse(
          res,
          quotaExceededResponse({
            kind,
            scope,
            limit: decision.limit,
            projectNumber,
            retryAfterMs: options.retryAfter ? decision.retryAfterMs : undefined,
          }),
        );
        return;
      }
    }
    next();
  };

  return {
    get config() {
      return config;
    },
    configure(partial) {
      const next = { ...config, ...partial };
      for (const [key, value] of Object.entries(next)) {
        if (!(Number.isInteger(value) && value > 0))
          throw new RangeError(`${key} must be a positive integer, got ${value}`);
      }
      config = next;
      for (const [name, log] of logs) {
        const [kind, scope] = name.split(':') as [QuotaKind, QuotaScope];
        log.configure({ requestsPerWindow: limitOf(kind, scope), windowMs: config.windowMs });
      }
    },
    reset() {
      for (const log of logs.values()) log.reset();
      for (const key of Object.keys(rejections) as (keyof typeof rejections)[]) rejections[key] = 0;
    },
    get rejected() {
      return Object.values(rejections).reduce((sum, count) => sum + count, 0);
    },
    rejections,
    middleware,
  };
}
