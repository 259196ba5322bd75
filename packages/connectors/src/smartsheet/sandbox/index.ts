// Smartsheet API 2.0 as an in-process sandbox: bearer auth with Smartsheet's error codes, 300
// requests per minute per token (errorCode 4003), one writer per sheet (4004), partial-success
// bulk writes, signed skinny webhooks with challenge verification, fault injection and request
// counters. The official SDK talks to it unchanged with `baseUrl: `${server.url}/2.0/``.
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { systemClock, type Clock } from '../../sandbox-kit/clock.ts';
import { createRequestCounter, type RequestCounter } from '../../sandbox-kit/counters.ts';
import { createFaultInjector, type FaultConfig, type FaultInjector } from '../../sandbox-kit/faults.ts';
import { createRateLimiter, type RateLimiter } from '../../sandbox-kit/rate-limiter.ts';
import type { VendorResponse } from '../../sandbox-kit/responses.ts';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { startSandbox, type SandboxServer } from '../../sandbox-kit/server.ts';
import { safeEqual } from '../../webhook-signature.ts';
import { SMARTSHEET_MAX_ROWS_PER_REQUEST, SMARTSHEET_REQUESTS_PER_WINDOW, SMARTSHEET_WINDOW_MS } from '../limits.ts';
import type { CellValidator } from './cells.ts';
import { apiErrors, createRefIds, SmartsheetApiError } from './errors.ts';
import { createIdGenerator } from './ids.ts';
import { createSmartsheetRouter } from './routes.ts';
import { SheetStore } from './store.ts';
import {
  createSmartsheetWebhookRegistry,
  type SmartsheetWebhookRegistry,
  type SmartsheetWebhookSettings,
} from './webhooks.ts';
import { SheetWriteLocks } from './write-lock.ts';

export interface SmartsheetSandboxOptions {
  /** Accepted access token(s) (default 'sandbox-token'); each has its own rate limit. */
  accessToken?: string | string[];
  /** Tokens that may read but get 403 (errorCode 1004) on writes. */
  readOnlyTokens?: string[];
  /** Default 300 per 60 s, Smartsheet's limit; benchmarks shorten both, keeping the ratio. */
  requestsPerWindow?: number;
  windowMs?: number;
  /**
   * Send Retry-After on 429s (default true). Smartsheet documents none; turn it off to check that
   * clients then fall back to their own backoff.
   */
  retryAfterHeader?: boolean;
  /** Rows per Add Rows / Update Rows request (default 500). */
  maxRowsPerRequest?: number;
  /** Time every save holds its sheet's lock (default 0), so overlapping writes collide (4004). */
  saveDelayMs?: number;
  /** Seed for ids, faults and secrets (default 1). */
  seed?: number;
  faults?: Partial<FaultConfig>;
  webhooks?: SmartsheetWebhookSettings;
  /** Extra per-cell validation on top of the built-in type checks and the '__invalid__' marker. */
  validate?: CellValidator;
  clock?: Clock;
  bodyLimit?: string;
}

export interface SmartsheetSandbox {
  app: Express;
  /** Direct reads and writes (create sheets, read rows by column title, edit like a person would). */
  sheets: SheetStore;
  faults: FaultInjector;
  counters: RequestCounter;
  limiter: RateLimiter;
  webhooks: SmartsheetWebhookRegistry;
  locks: SheetWriteLocks;
  readonly tokens: readonly string[];
  setTokens(tokens: string | string[]): void;
  maxRowsPerRequest: number;
  /** Serves the app on 127.0.0.1; the API root is `${url}/2.0`. */
  start(port?: number): Promise<SandboxServer>;
}

export function createSmartsheetSandbox(options: SmartsheetSandboxOptions = {}): SmartsheetSandbox {
  const clock = options.clock ?? systemClock;
  const rng = seededRng(options.seed ?? 1);
  const refId = createRefIds(rng);
  const nextId = createIdGenerator(rng);
  let tokens = ([] as string[]).concat(options.accessToken ?? 'sandbox-token');
  const readOnly = new Set(options.readOnlyTokens ?? []);
  const settings = { maxRowsPerRequest: options.maxRowsPerRequest ?? SMARTSHEET_MAX_ROWS_PER_REQUEST };
  const sheets = new SheetStore({
    clock,
    nextId,
    refId,
    validate: options.validate,
    maxRowsPerRequest: () => settings.maxRowsPerRequest,
  });
  const locks = new SheetWriteLocks();
  locks.saveDelayMs = options.saveDelayMs ?? 0;
  const webhooks = createSmartsheetWebhookRegistry({ rng, clock, nextId, settings: options.webhooks });
  sheets.onChange((change) => webhooks.handle(change));
  const counters = createRequestCounter({ clock });

  const errorResponse = (error: SmartsheetApiError, headers?: Record<string, string>): VendorResponse => ({
    status: error.status,
    body: error.toBody(refId()),
    headers,
  });
  const rateLimited = (retryAfterMs: number) =>
    errorResponse(
      apiErrors.rateLimited(),
      options.retryAfterHeader === false
        ? undefined
        : { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    );
  const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : null);
  const limiter = createRateLimiter({
    requestsPerWindow: options.requestsPerWindow ?? SMARTSHEET_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? SMARTSHEET_WINDOW_MS,
    clock,
    keyOf: (req) => bearer(req.headers.authorization),
    rejectResponse: (info) => rateLimited(info.retryAfterMs),
    // Smartsheet sends no rate-limit headers on admitted responses.
    admittedHeaders: () => ({}),
  });
  const faults = createFaultInjector({
    rng,
    config: options.faults,
    errorResponse: (status) =>
      errorResponse(
        status === 503 ? apiErrors.maintenance() : new SmartsheetApiError(status, 4000, apiErrors.unexpected().message),
      ),
    rateLimitResponse: () => rateLimited(limiter.config.windowMs),
  });

  const authenticate: RequestHandler = (req, res, next) => {
    const token = bearer(req.headers.authorization);
    let valid = false;
    for (const accepted of tokens) valid = (token !== null && safeEqual(token, accepted)) || valid;
    if (!valid) {
      const error = token ? apiErrors.tokenInvalid() : apiErrors.tokenRequired();
      res.status(error.status).json(error.toBody(refId()));
      return;
    }
    next();
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(faults.middleware);
  app.use('/2.0', authenticate);
  app.use('/2.0', limiter.middleware);
  app.use(express.json({ limit: options.bodyLimit ?? '10mb' }));
  app.use(
    '/2.0',
    createSmartsheetRouter({
      store: sheets,
      locks,
      webhooks,
      count: counters.middleware,
      canWrite: (req) => !readOnly.has(bearer(req.headers.authorization) ?? ''),
      currentUser: {
        id: 4_583_173_393_803_140,
        email: 'sandbox@example.com',
        firstName: 'Sandbox',
        lastName: 'User',
        locale: 'en_US',
        timeZone: 'UTC',
      },
    }),
  );
  app.use((_req, res) => {
    res.status(404).json(apiErrors.notFound().toBody(refId()));
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const type = (error as { type?: string }).type;
    const known =
      error instanceof SmartsheetApiError
        ? error
        : type === 'entity.parse.failed'
          ? apiErrors.unparseable('the body is not valid JSON')
          : type === 'entity.too.large'
            ? new SmartsheetApiError(
                413,
                1008,
                'Unable to parse request. The following error occurred: the body is too large',
              )
            : apiErrors.unexpected();
    res.status(known.status).json(known.toBody(refId()));
  };
  app.use(onError);

  return {
    app,
    sheets,
    faults,
    counters,
    limiter,
    webhooks,
    locks,
    get tokens() {
      return tokens;
    },
    setTokens(next) {
      tokens = ([] as string[]).concat(next);
    },
    get maxRowsPerRequest() {
      return settings.maxRowsPerRequest;
    },
    set maxRowsPerRequest(value: number) {
      settings.maxRowsPerRequest = value;
    },
    start: (port) => startSandbox(app, { port }),
  };
}

// Exported under Smartsheet-prefixed names: other sandboxes share the `sandboxes` entry.
export { SheetStore as SmartsheetSheetStore } from './store.ts';
export type {
  BulkRowsResult as SmartsheetBulkRowsResult,
  RowChange as SmartsheetRowChange,
  SheetChange as SmartsheetSheetChange,
  SheetQuery as SmartsheetSheetQuery,
} from './store.ts';
export { INVALID_MARKER as SMARTSHEET_INVALID_MARKER } from './cells.ts';
export type {
  CellValidator as SmartsheetCellValidator,
  CellValue as SmartsheetCellValue,
  ColumnSpec as SmartsheetColumnSpec,
  StoredColumn as SmartsheetStoredColumn,
} from './cells.ts';
export { SmartsheetApiError } from './errors.ts';
export type {
  SmartsheetWebhookRegistry,
  SmartsheetWebhookSettings,
  StoredWebhook as SmartsheetStoredWebhook,
  SentCallback as SmartsheetSentCallback,
} from './webhooks.ts';
export type { WriteHold as SmartsheetWriteHold } from './write-lock.ts';
