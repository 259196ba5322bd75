// Webflow Data API v2 (CMS subset) as an in-process sandbox: bearer auth, a per-token sliding-window
// rate limit (default 60/min) with X-RateLimit-Limit / X-RateLimit-Remaining on every admitted
// response and 429 + Retry-After when exceeded, collections with Webflow's field schema, staged and
// live items, all-or-nothing bulk writes (≤ 100 items), item publishing, signed item webhooks, fault
// injection, per-endpoint request counters and write counters. The official `webflow-api` SDK
// talks to it unchanged with `baseUrl: `${server.url}/v2``.
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import { requestTime, systemClock, type Clock } from '../../sandbox-kit/clock.ts';
import { createRequestCounter, type RequestCounter } from '../../sandbox-kit/counters.ts';
import { createFaultInjector, type FaultConfig, type FaultInjector } from '../../sandbox-kit/faults.ts';
import { createRateLimiter, type RateLimiter } from '../../sandbox-kit/rate-limiter.ts';
import type { VendorResponse } from '../../sandbox-kit/responses.ts';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { startSandbox, type SandboxServer } from '../../sandbox-kit/server.ts';
import { safeEqual } from '../../webhook-signature.ts';
import { WEBFLOW_MAX_ITEMS_PER_REQUEST, WEBFLOW_REQUESTS_PER_WINDOW, WEBFLOW_WINDOW_MS } from '../limits.ts';
import { WebflowApiError, webflowErrors } from './errors.ts';
import { createWebflowRouter } from './routes.ts';
import { WebflowCollectionStore } from './store.ts';
import {
  createWebflowWebhookDispatcher,
  type WebflowWebhookDispatcher,
  type WebflowWebhookSettings,
} from './webhooks.ts';

export interface WebflowSandboxOptions {
  /** Accepted access token(s) (default 'sandbox-token'); each has its own rate limit. */
  accessToken?: string | string[];
  /** Tokens without cms:write: reads work, writes get 403 missing_scopes. */
  readOnlyTokens?: string[];
  /** Default 60 per 60 s (Starter/Basic plans); 120 for CMS/Business plans. */
  requestsPerWindow?: number;
  windowMs?: number;
  /** Items per bulk request (default 100). */
  maxItemsPerRequest?: number;
  /** Seed for ids and faults (default 1). */
  seed?: number;
  faults?: Partial<FaultConfig>;
  webhooks?: WebflowWebhookSettings;
  siteId?: string;
  workspaceId?: string;
  clock?: Clock;
  bodyLimit?: string;
}

export interface WebflowSandbox {
  app: Express;
  /** Direct reads and writes: create collections, read staged and live items, edit like a person. */
  collections: WebflowCollectionStore;
  faults: FaultInjector;
  /** Every request that reached a route, per pattern. */
  counters: RequestCounter;
  /** Write requests only (create, update, delete, publish), per pattern: `writes.maxRequestsInWindow(60_000)`. */
  writes: RequestCounter;
  /** One entry per item carried by a write request, at the request's time. */
  writtenItems: RequestCounter;
  limiter: RateLimiter;
  webhooks: WebflowWebhookDispatcher;
  readonly tokens: readonly string[];
  setTokens(tokens: string | string[]): void;
  maxItemsPerRequest: number;
  siteId: string;
  /** Serves the app on 127.0.0.1; the API root is `${url}/v2`. */
  start(port?: number): Promise<SandboxServer>;
}

export function createWebflowSandbox(options: WebflowSandboxOptions = {}): WebflowSandbox {
  const clock = options.clock ?? systemClock;
  const rng = seededRng(options.seed ?? 1);
  const settings = { maxItemsPerRequest: options.maxItemsPerRequest ?? WEBFLOW_MAX_ITEMS_PER_REQUEST };
  const collections = new WebflowCollectionStore({ clock, rng, maxItemsPerRequest: () => settings.maxItemsPerRequest });
  const siteId = options.siteId ?? collections.newId();
  const workspaceId = options.workspaceId ?? collections.newId();
  let tokens = ([] as string[]).concat(options.accessToken ?? 'sandbox-token');
  const readOnly = new Set(options.readOnlyTokens ?? []);
  const counters = createRequestCounter({ clock });
  const writes = createRequestCounter({ clock });
  const writtenItems = createRequestCounter({ clock });
  const webhooks = createWebflowWebhookDispatcher({
    rng,
    siteId,
    workspaceId,
    now: () => new Date(clock()),
    settings: options.webhooks,
  });
  collections.onChange((change) => webhooks.handle(change));

  const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : null);
  const errorResponse = (error: WebflowApiError, headers?: Record<string, string>): VendorResponse => ({
    status: error.status,
    body: error.toBody(),
    headers,
  });
  // https://developers.webflow.com/data/reference/rate-limits: 429 with Retry-After (seconds) and
  // the X-RateLimit headers.
  const rateLimited = (limit: number, retryAfterMs: number) =>
    errorResponse(webflowErrors.tooManyRequests(), {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': '0',
    });
  const limiter = createRateLimiter({
    requestsPerWindow: options.requestsPerWindow ?? WEBFLOW_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? WEBFLOW_WINDOW_MS,
    clock,
    keyOf: (req) => bearer(req.headers.authorization),
    rejectResponse: (info) => rateLimited(info.limit, info.retryAfterMs),
  });
  const faults = createFaultInjector({
    rng,
    config: options.faults,
    errorResponse: (status) => errorResponse(webflowErrors.internal(status)),
    rateLimitResponse: () => rateLimited(limiter.config.requestsPerWindow, limiter.config.windowMs),
  });

  const authenticate: RequestHandler = (req, res, next) => {
    const token = bearer(req.headers.authorization);
    let valid = false;
    for (const accepted of tokens) valid = (token !== null && safeEqual(token, accepted)) || valid;
    if (!valid) {
      res.status(401).json(webflowErrors.notAuthorized().toBody());
      return;
    }
    next();
  };

  const countWrite = (req: Request, items: number) => {
    const route = (req.route as { path?: unknown } | undefined)?.path;
    const endpoint = `${req.method} ${req.baseUrl}${typeof route === 'string' ? route : req.path}`;
    const at = req.res ? requestTime(req.res, clock) : clock();
    writes.record(endpoint, at);
    for (let i = 0; i < items; i++) writtenItems.record(endpoint, at);
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(faults.middleware);
  app.use('/v2', authenticate);
  app.use('/v2', limiter.middleware);
  app.use(express.json({ limit: options.bodyLimit ?? '10mb' }));
  app.use(
    '/v2',
    createWebflowRouter({
      store: collections,
      count: counters.middleware,
      countWrite,
      canWrite: (req) => !readOnly.has(bearer(req.headers.authorization) ?? ''),
      introspection: (req) => ({
        authorization: {
          id: 'sandbox-authorization',
          createdOn: new Date(0).toISOString(),
          lastUsed: new Date(clock()).toISOString(),
          grantType: 'access_token',
          rateLimit: limiter.config.requestsPerWindow,
          scope: readOnly.has(bearer(req.headers.authorization) ?? '') ? 'cms:read' : 'cms:read,cms:write',
          authorizedTo: { siteIds: [siteId], workspaceIds: [workspaceId], userIds: [] },
        },
        application: { id: 'sandbox-app', displayName: 'Syncbridge sandbox' },
      }),
    }),
  );
  app.use((_req, res) => {
    res.status(404).json(webflowErrors.routeNotFound().toBody());
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const type = (error as { type?: string }).type;
    const known =
      error instanceof WebflowApiError
        ? error
        : type === 'entity.parse.failed'
          ? webflowErrors.badRequest('Request body is not valid JSON')
          : type === 'entity.too.large'
            ? new WebflowApiError(413, 'bad_request', 'Request body is too large')
            : webflowErrors.internal();
    res.status(known.status).json(known.toBody());
  };
  app.use(onError);

  return {
    app,
    collections,
    faults,
    counters,
    writes,
    writtenItems,
    limiter,
    webhooks,
    get tokens() {
      return tokens;
    },
    setTokens(next) {
      tokens = ([] as string[]).concat(next);
    },
    get maxItemsPerRequest() {
      return settings.maxItemsPerRequest;
    },
    set maxItemsPerRequest(value: number) {
      settings.maxItemsPerRequest = value;
    },
    siteId,
    start: (port) => startSandbox(app, { port }),
  };
}

export { WebflowCollectionStore } from './store.ts';
export type {
  CollectionSpec as WebflowCollectionSpec,
  ItemChange as WebflowItemChange,
  StoredItem as WebflowStoredItem,
} from './store.ts';
export type { StoredField as WebflowStoredField, WebflowFieldSpec, WebflowFieldType } from './fields.ts';
export { WebflowApiError } from './errors.ts';
export type { WebflowErrorBodyShape, WebflowErrorDetail } from './errors.ts';
export type { WebflowWebhookDispatcher, WebflowWebhookSettings } from './webhooks.ts';
