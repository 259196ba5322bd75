// The generic REST records API as an in-process sandbox: bearer auth, per-token sliding-window
// rate limit, fault injection, request counters and signed webhooks, with a typed handle so tests,
// benchmarks and the demo can drive it.
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { createRequestCounter, type RequestCounter } from '../../sandbox-kit/counters.ts';
import { systemClock, type Clock } from '../../sandbox-kit/clock.ts';
import { createFaultInjector, type FaultConfig, type FaultInjector } from '../../sandbox-kit/faults.ts';
import { createRateLimiter, type RateLimiter } from '../../sandbox-kit/rate-limiter.ts';
import { defaultRateLimitResponse } from '../../sandbox-kit/responses.ts';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { startSandbox, type SandboxServer } from '../../sandbox-kit/server.ts';
import { safeEqual } from '../../webhook-signature.ts';
import { createRecordsRouter } from './routes.ts';
import { RecordStore, StoreError, type FieldValidator } from './store.ts';
import { createRestWebhookDispatcher, type RestWebhookConfig, type RestWebhookDispatcher } from './webhooks.ts';

export interface RestSandboxOptions {
  /** Accepted bearer token(s) (default 'sandbox-token'). Each token has its own rate limit. */
  token?: string | string[];
  /** Default 600 per 60 s, like the connector's default limits. */
  requestsPerWindow?: number;
  windowMs?: number;
  /** Items per batch request (default 100). */
  maxBatch?: number;
  /** Seed for faults, webhook duplication and shuffling (default 1). */
  seed?: number;
  faults?: Partial<FaultConfig>;
  webhook?: RestWebhookConfig | null;
  /** Extra per-record validation (on top of the '__invalid__' marker). */
  validate?: FieldValidator;
  clock?: Clock;
  /** Largest JSON body accepted (default 5 MB). */
  bodyLimit?: string;
}

export interface RestSandbox {
  app: Express;
  /** Direct reads and writes; writes bump updated_at and fire webhooks like API writes do. */
  store: RecordStore;
  faults: FaultInjector;
  counters: RequestCounter;
  limiter: RateLimiter;
  webhooks: RestWebhookDispatcher;
  readonly tokens: readonly string[];
  setTokens(tokens: string | string[]): void;
  maxBatch: number;
  /** Serves the app on 127.0.0.1 (port 0: any free port). */
  start(port?: number): Promise<SandboxServer>;
}

export const REST_SANDBOX_API_VERSION = '1.0';

export function createRestSandbox(options: RestSandboxOptions = {}): RestSandbox {
  const clock = options.clock ?? systemClock;
  const rng = seededRng(options.seed ?? 1);
  let tokens = ([] as string[]).concat(options.token ?? 'sandbox-token');
  const store = new RecordStore({ clock, validate: options.validate });
  const counters = createRequestCounter({ clock });
  const requestsPerWindow = options.requestsPerWindow ?? 600;
  const windowMs = options.windowMs ?? 60_000;
  const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : null);
  const limiter = createRateLimiter({
    requestsPerWindow,
    windowMs,
    clock,
    keyOf: (req) => bearer(req.headers.authorization),
    rejectResponse: defaultRateLimitResponse,
  });
  const faults = createFaultInjector({
    rng,
    config: options.faults,
    errorResponse: (status) => ({
      status,
      body: {
        error: status === 503 ? 'service_unavailable' : 'internal_error',
        message: `The server could not handle the request (${status}).`,
      },
    }),
    // An injected 429 looks like the real limiter's: a full window's wait.
    rateLimitResponse: () =>
      defaultRateLimitResponse({
        limit: limiter.config.requestsPerWindow,
        remaining: 0,
        retryAfterMs: limiter.config.windowMs,
      }),
  });
  const webhooks = createRestWebhookDispatcher({ rng, config: options.webhook ?? null });
  store.onChange((change) => webhooks.handle(change));

  const authenticate: RequestHandler = (req, res, next) => {
    const token = bearer(req.headers.authorization);
    let valid = false;
    for (const accepted of tokens) valid = (token !== null && safeEqual(token, accepted)) || valid;
    if (!valid) {
      res
        .status(401)
        .json({
          error: 'unauthorized',
          message: token ? 'The access token is not valid.' : 'Missing Authorization: Bearer <token> header.',
        });
      return;
    }
    next();
  };

  const handle = {
    maxBatch: options.maxBatch ?? 100,
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(faults.middleware);
  app.use(authenticate);
  app.use(limiter.middleware);
  app.use(express.json({ limit: options.bodyLimit ?? '5mb' }));
  app.use(
    createRecordsRouter({
      store,
      count: counters.middleware,
      maxBatch: () => handle.maxBatch,
      apiVersion: REST_SANDBOX_API_VERSION,
    }),
  );
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (error instanceof StoreError) {
      res.status(error.status).json(error.toBody());
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed')
      res.status(400).json({ error: 'invalid_json', message: 'Request body is not valid JSON.' });
    else if (type === 'entity.too.large')
      res.status(413).json({ error: 'payload_too_large', message: 'Request body is too large.' });
    else
      res
        .status(500)
        .json({ error: 'internal_error', message: error instanceof Error ? error.message : 'Unexpected error.' });
  };
  app.use(onError);

  return {
    app,
    store,
    faults,
    counters,
    limiter,
    webhooks,
    get tokens() {
      return tokens;
    },
    setTokens(next) {
      tokens = ([] as string[]).concat(next);
    },
    get maxBatch() {
      return handle.maxBatch;
    },
    set maxBatch(value: number) {
      handle.maxBatch = value;
    },
    start: (port) => startSandbox(app, { port }),
  };
}

export { RecordStore, StoreError } from './store.ts';
export type { FieldValidator, ListQuery, ListResult, StoredRecord, StoreChange } from './store.ts';
export type { RestWebhookConfig, RestWebhookDispatcher, RestWebhookEvent } from './webhooks.ts';
