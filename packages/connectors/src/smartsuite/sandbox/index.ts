// SmartSuite REST API v1 (records subset) as an in-process sandbox: `Authorization: Token <key>` and
// `Account-Id` on every request, 5 requests per second per key with SmartSuite's penalty (after a
// 429 the key waits 30 s: every request meanwhile is 429 too, with Retry-After), tables with a field
// structure, offset-paginated List Records with sort and filter bodies (empty fields left out),
// single and bulk (≤ 25) writes that are all or nothing with 422 field errors, a trash for deleted
// records, signed webhook events with duplicate/reorder control, fault injection, and request
// counters. The connector talks to it with `baseUrl: `${server.url}/api/v1``.
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import { requestTime, systemClock, type Clock } from '../../sandbox-kit/clock.ts';
import { createRequestCounter, type RequestCounter } from '../../sandbox-kit/counters.ts';
import { createFaultInjector, type FaultConfig, type FaultInjector } from '../../sandbox-kit/faults.ts';
import { SlidingWindowLog, type RateLimitConfig } from '../../sandbox-kit/rate-limiter.ts';
import { sendVendorResponse, type VendorResponse } from '../../sandbox-kit/responses.ts';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { startSandbox, type SandboxServer } from '../../sandbox-kit/server.ts';
import { safeEqual } from '../../webhook-signature.ts';
import {
  SMARTSUITE_MAX_BULK,
  SMARTSUITE_RATE_LIMIT_WAIT_MS,
  SMARTSUITE_REQUESTS_PER_WINDOW,
  SMARTSUITE_WINDOW_MS,
} from '../limits.ts';
import { SmartSuiteApiError, smartsuiteErrors } from './errors.ts';
import { createSmartSuiteRouter } from './routes.ts';
import { hexId, SmartSuiteStore } from './store.ts';
import {
  createSmartSuiteWebhookDispatcher,
  type SmartSuiteWebhookDispatcher,
  type SmartSuiteWebhookSettings,
} from './webhooks.ts';

export interface SmartSuiteSandboxOptions {
  /** Accepted API key(s) (default 'sandbox-api-key'); each has its own rate limit. */
  apiKey?: string | string[];
  /** The workspace id every request must name in Account-Id (default 'sbx0ws01'). */
  accountId?: string;
  /** Default 5 per 1000 ms (SmartSuite's limit per key). */
  requestsPerWindow?: number;
  windowMs?: number;
  /** How long a key is refused after a 429 (default 30 s, SmartSuite's documented wait). */
  penaltyMs?: number;
  /** Records per bulk request (default 25). */
  maxBulk?: number;
  /** Seed for ids, faults and delivery order (default 1). */
  seed?: number;
  faults?: Partial<FaultConfig>;
  webhooks?: SmartSuiteWebhookSettings;
  clock?: Clock;
  bodyLimit?: string;
}

/** The per-key limiter with SmartSuite's lock-out after a 429. */
export interface SmartSuiteRateLimiter {
  readonly config: Readonly<RateLimitConfig & { penaltyMs: number }>;
  configure(config: Partial<RateLimitConfig & { penaltyMs: number }>): void;
  /** Forgets admitted requests, lock-outs and the rejection count. */
  reset(): void;
  /** Requests answered 429 by the limiter (lock-outs included) since the last reset. */
  readonly rejected: number;
  readonly middleware: RequestHandler;
}

export interface SmartSuiteSandbox {
  app: Express;
  /** Direct reads and edits: create tables, read records, change them like a person in SmartSuite. */
  tables: SmartSuiteStore;
  faults: FaultInjector;
  /** Every request that reached a route, per pattern. */
  counters: RequestCounter;
  /** Write requests only (create, bulk create/update/delete), per pattern. */
  writes: RequestCounter;
  limiter: SmartSuiteRateLimiter;
  webhooks: SmartSuiteWebhookDispatcher;
  readonly apiKeys: readonly string[];
  setApiKeys(keys: string | string[]): void;
  accountId: string;
  solutionId: string;
  maxBulk: number;
  /** Serves the app on 127.0.0.1; the API root is `${url}/api/v1`. */
  start(port?: number): Promise<SandboxServer>;
}

const tokenOf = (req: Request): string | null => {
  const header = req.headers.authorization;
  return header?.startsWith('Token ') ? header.slice(6).trim() : null;
};

function errorResponse(error: SmartSuiteApiError): VendorResponse {
  return { status: error.status, body: error.body, headers: error.headers };
}

function createLimiter(config: RateLimitConfig & { penaltyMs: number }, clock: Clock): SmartSuiteRateLimiter {
  const log = new SlidingWindowLog(config);
  let penaltyMs = config.penaltyMs;
  const lockedUntil = new Map<string, number>();
  let rejected = 0;
  const middleware: RequestHandler = (req, res, next) => {
    const key = tokenOf(req);
    if (key === null) return next();
    const now = requestTime(res, clock);
    const until = lockedUntil.get(key) ?? 0;
    let waitMs = until > now ? until - now : 0;
    if (waitMs === 0 && !log.tryAcquire(key, now).allowed) {
      waitMs = Math.max(1, penaltyMs);
      lockedUntil.set(key, now + waitMs);
    }
    if (waitMs === 0) return next();
    rejected += 1;
    sendVendorResponse(res, errorResponse(smartsuiteErrors.throttled(waitMs)));
  };
  return {
    get config() {
      return { ...log.settings, penaltyMs };
    },
    configure(next) {
      const { penaltyMs: penalty, ...window } = next;
      if (Object.keys(window).length > 0) log.configure(window);
      if (penalty !== undefined) penaltyMs = penalty;
    },
    reset() {
      log.reset();
      lockedUntil.clear();
      rejected = 0;
    },
    get rejected() {
      return rejected;
    },
    middleware,
  };
}

export function createSmartSuiteSandbox(options: SmartSuiteSandboxOptions = {}): SmartSuiteSandbox {
  const clock = options.clock ?? systemClock;
  const rng = seededRng(options.seed ?? 1);
  const settings = { maxBulk: options.maxBulk ?? SMARTSUITE_MAX_BULK };
  const accountId = options.accountId ?? 'sbx0ws01';
  const solutionId = hexId(rng);
  const tables = new SmartSuiteStore({
    clock,
    rng,
    accountId,
    solutionId,
    memberId: hexId(rng),
    maxBulk: () => settings.maxBulk,
  });
  let apiKeys = ([] as string[]).concat(options.apiKey ?? 'sandbox-api-key');
  const counters = createRequestCounter({ clock });
  const writes = createRequestCounter({ clock });
  const webhooks = createSmartSuiteWebhookDispatcher({
    rng,
    accountId,
    solutionId,
    webhookId: `${hexId(rng, 8)}-${hexId(rng, 4)}-${hexId(rng, 4)}-${hexId(rng, 4)}-${hexId(rng, 12)}`,
    now: () => new Date(clock()),
    settings: options.webhooks,
  });
  tables.onChange((change) => webhooks.handle(change));

  const limiter = createLimiter(
    {
      requestsPerWindow: options.requestsPerWindow ?? SMARTSUITE_REQUESTS_PER_WINDOW,
      windowMs: options.windowMs ?? SMARTSUITE_WINDOW_MS,
      penaltyMs: options.penaltyMs ?? SMARTSUITE_RATE_LIMIT_WAIT_MS,
    },
    clock,
  );
  const faults = createFaultInjector({
    rng,
    config: options.faults,
    errorResponse: (status) => errorResponse(smartsuiteErrors.internal(status)),
    rateLimitResponse: () => errorResponse(smartsuiteErrors.throttled(limiter.config.penaltyMs)),
  });

  const authenticate: RequestHandler = (req, res, next) => {
    const token = tokenOf(req);
    if (token === null) return sendVendorResponse(res, errorResponse(smartsuiteErrors.notAuthenticated()));
    let valid = false;
    for (const accepted of apiKeys) valid = safeEqual(token, accepted) || valid;
    if (!valid) return sendVendorResponse(res, errorResponse(smartsuiteErrors.invalidToken()));
    const account = req.headers['account-id'];
    if (typeof account !== 'string' || !safeEqual(account.trim(), accountId)) {
      return sendVendorResponse(res, errorResponse(smartsuiteErrors.forbidden()));
    }
    next();
  };

  const countWrite = (req: Request) => {
    const route = (req.route as { path?: unknown } | undefined)?.path;
    const endpoint = `${req.method} ${req.baseUrl}${typeof route === 'string' ? route : req.path}`;
    writes.record(endpoint, req.res ? requestTime(req.res, clock) : clock());
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(faults.middleware);
  app.use('/api/v1', authenticate);
  app.use('/api/v1', limiter.middleware);
  app.use(express.json({ limit: options.bodyLimit ?? '10mb' }));
  app.use('/api/v1', createSmartSuiteRouter({ store: tables, count: counters.middleware, countWrite }));
  app.use((_req, res) => {
    sendVendorResponse(res, errorResponse(smartsuiteErrors.notFound()));
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const type = (error as { type?: string }).type;
    const known =
      error instanceof SmartSuiteApiError
        ? error
        : type === 'entity.parse.failed'
          ? smartsuiteErrors.badRequest({ detail: 'JSON parse error.' })
          : type === 'entity.too.large'
            ? new SmartSuiteApiError(413, { detail: 'Request body is too large.' })
            : smartsuiteErrors.internal();
    sendVendorResponse(res, errorResponse(known));
  };
  app.use(onError);

  return {
    app,
    tables,
    faults,
    counters,
    writes,
    limiter,
    webhooks,
    get apiKeys() {
      return apiKeys;
    },
    setApiKeys(next) {
      apiKeys = ([] as string[]).concat(next);
    },
    accountId,
    solutionId,
    get maxBulk() {
      return settings.maxBulk;
    },
    set maxBulk(value: number) {
      settings.maxBulk = value;
    },
    start: (port) => startSandbox(app, { port }),
  };
}

export { SmartSuiteStore } from './store.ts';
export type {
  RecordChange as SmartSuiteRecordChange,
  StoredRecord as SmartSuiteStoredRecord,
  TableSpec as SmartSuiteTableSpec,
} from './store.ts';
export type { SmartSuiteFieldSpec, SmartSuiteFieldType, StoredField as SmartSuiteStoredField } from './fields.ts';
export { SmartSuiteApiError } from './errors.ts';
export type { SmartSuiteWebhookDispatcher, SmartSuiteWebhookSettings } from './webhooks.ts';
