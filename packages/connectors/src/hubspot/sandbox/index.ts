// HubSpot CRM v3 (contacts and tasks) as an in-process sandbox: private-app bearer tokens, the ten-secondly
// rolling limit per token with X-HubSpot-RateLimit-* headers and HubSpot's 429 body, batch
// create/update/archive/read (≤ 100 inputs, 207 multi-status for missing ids, all-or-nothing
// 400/409 for invalid values and existing emails), list paging, search, property definitions,
// signature-v3 webhooks, faults and request counters. `@hubspot/api-client` talks to it unchanged
// with `basePath: server.url`.
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { systemClock, type Clock } from '../../sandbox-kit/clock.ts';
import { createRequestCounter, type RequestCounter } from '../../sandbox-kit/counters.ts';
import { createFaultInjector, type FaultConfig, type FaultInjector } from '../../sandbox-kit/faults.ts';
import { createRateLimiter, type RateLimiter } from '../../sandbox-kit/rate-limiter.ts';
import type { RateLimitInfo, VendorResponse } from '../../sandbox-kit/responses.ts';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { startSandbox, type SandboxServer } from '../../sandbox-kit/server.ts';
import { safeEqual } from '../../webhook-signature.ts';
import { HUBSPOT_REQUESTS_PER_WINDOW, HUBSPOT_WINDOW_MS } from '../limits.ts';
import { apiErrors, createCorrelationIds, HubSpotApiError } from './errors.ts';
import { DEFAULT_CONTACT_PROPERTIES, DEFAULT_TASK_PROPERTIES, TASK_RULES, type PropertySpec } from './properties.ts';
import { createHubSpotRouter } from './routes.ts';
import { HubSpotObjectStore } from './store.ts';
import {
  createHubSpotWebhookDispatcher,
  type HubSpotWebhookDispatcher,
  type HubSpotWebhookSettings,
} from './webhooks.ts';

export interface HubSpotSandboxOptions {
  /** Accepted private-app token(s) (default 'sandbox-token'); each has its own rate limit. */
  accessToken?: string | string[];
  /** Tokens that may read but get 403 MISSING_SCOPES on writes. */
  readOnlyTokens?: string[];
  /** Default 100 per 10 000 ms (Free/Starter); benchmarks shorten both, keeping the ratio. */
  requestsPerWindow?: number;
  windowMs?: number;
  /** Send Retry-After on 429s (default false: HubSpot sends none for the ten-secondly limit). */
  retryAfterHeader?: boolean;
  /** Contact properties on top of HubSpot's defaults (e.g. a `syncbridge_id` key property). */
  contactProperties?: PropertySpec[];
  /** Task properties on top of HubSpot's defaults (tasks live at /crm/v3/objects/tasks). */
  taskProperties?: PropertySpec[];
  seed?: number;
  faults?: Partial<FaultConfig>;
  webhooks?: HubSpotWebhookSettings;
  clock?: Clock;
  bodyLimit?: string;
}

export interface HubSpotSandbox {
  app: Express;
  /** Direct reads and writes, one store per object type. */
  objects: { contacts: HubSpotObjectStore; tasks: HubSpotObjectStore };
  faults: FaultInjector;
  counters: RequestCounter;
  limiter: RateLimiter;
  webhooks: HubSpotWebhookDispatcher;
  readonly tokens: readonly string[];
  setTokens(tokens: string | string[]): void;
  /** Serves the app on 127.0.0.1; pass `server.url` as the SDK's basePath. */
  start(port?: number): Promise<SandboxServer>;
}

export function createHubSpotSandbox(options: HubSpotSandboxOptions = {}): HubSpotSandbox {
  const clock = options.clock ?? systemClock;
  const rng = seededRng(options.seed ?? 1);
  const correlationId = createCorrelationIds(rng);
  let tokens = ([] as string[]).concat(options.accessToken ?? 'sandbox-token');
  const readOnly = new Set(options.readOnlyTokens ?? []);
  const contacts = new HubSpotObjectStore({
    objectType: 'contacts',
    clock,
    properties: [...DEFAULT_CONTACT_PROPERTIES, ...(options.contactProperties ?? [])],
  });
  const tasks = new HubSpotObjectStore({
    objectType: 'tasks',
    clock,
    properties: [...DEFAULT_TASK_PROPERTIES, ...(options.taskProperties ?? [])],
    rules: TASK_RULES,
  });
  const stores = new Map([
    ['contacts', contacts],
    ['tasks', tasks],
  ]);
  const webhooks = createHubSpotWebhookDispatcher({ rng, settings: options.webhooks });
  // Webhook subscriptions exist for contacts (and companies, deals, tickets), not for tasks.
  contacts.onChange((change) => webhooks.handle('contacts', change));
  const counters = createRequestCounter({ clock });

  const rateHeaders = (info: RateLimitInfo, windowMs: number): Record<string, string> => ({
    'X-HubSpot-RateLimit-Max': String(info.limit),
    'X-HubSpot-RateLimit-Remaining': String(info.remaining),
    'X-HubSpot-RateLimit-Interval-Milliseconds': String(windowMs),
  });
  const errorResponse = (error: HubSpotApiError, headers?: Record<string, string>): VendorResponse => ({
    status: error.status,
    body: error.toBody(correlationId()),
    headers,
  });
  const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : null);
  const rateLimited = (info: RateLimitInfo) =>
    errorResponse(apiErrors.rateLimited(), {
      ...rateHeaders({ ...info, remaining: 0 }, limiter.config.windowMs),
      ...(options.retryAfterHeader ? { 'Retry-After': String(Math.max(1, Math.ceil(info.retryAfterMs / 1000))) } : {}),
    });
  // The 429 and the admitted headers read the limiter's current window (configure() may change it).
  const limiter: RateLimiter = createRateLimiter({
    requestsPerWindow: options.requestsPerWindow ?? HUBSPOT_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? HUBSPOT_WINDOW_MS,
    clock,
    keyOf: (req) => bearer(req.headers.authorization),
    rejectResponse: rateLimited,
    admittedHeaders: (info) => rateHeaders(info, limiter.config.windowMs),
  });
  const faults = createFaultInjector({
    rng,
    config: options.faults,
    errorResponse: (status) => errorResponse(apiErrors.internal(status)),
    rateLimitResponse: () =>
      rateLimited({ limit: limiter.config.requestsPerWindow, remaining: 0, retryAfterMs: limiter.config.windowMs }),
  });

  const authenticate: RequestHandler = (req, res, next) => {
    const token = bearer(req.headers.authorization);
    let valid = false;
    for (const accepted of tokens) valid = (token !== null && safeEqual(token, accepted)) || valid;
    if (!valid) {
      const error = token ? apiErrors.badToken() : apiErrors.noCredentials();
      res.status(error.status).json(error.toBody(correlationId()));
      return;
    }
    next();
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(faults.middleware);
  app.use('/crm/v3', authenticate);
  app.use('/crm/v3', limiter.middleware);
  app.use(express.json({ limit: options.bodyLimit ?? '10mb' }));
  app.use(
    '/crm/v3',
    createHubSpotRouter({
      stores,
      count: counters.middleware,
      canWrite: (req) => !readOnly.has(bearer(req.headers.authorization) ?? ''),
      clock,
    }),
  );
  app.use((_req, res) => {
    res.status(404).json(apiErrors.routeNotFound().toBody(correlationId()));
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const type = (error as { type?: string }).type;
    const known =
      error instanceof HubSpotApiError
        ? error
        : type === 'entity.parse.failed'
          ? apiErrors.invalidJson()
          : type === 'entity.too.large'
            ? new HubSpotApiError(413, 'VALIDATION_ERROR', 'Request body too large')
            : apiErrors.internal(500);
    res.status(known.status).json(known.toBody(correlationId()));
  };
  app.use(onError);

  return {
    app,
    objects: { contacts, tasks },
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
    start: (port) => startSandbox(app, { port }),
  };
}

// Exported under HubSpot-prefixed names: other sandboxes share the `sandboxes` entry.
export { HubSpotObjectStore } from './store.ts';
export type {
  ApiObject as HubSpotApiObject,
  ObjectChange as HubSpotObjectChange,
  StoredObject as HubSpotStoredObject,
} from './store.ts';
export { HubSpotApiError } from './errors.ts';
export type { HubSpotErrorBody } from './errors.ts';
export type {
  PropertyDefinition as HubSpotPropertyDefinition,
  PropertySpec as HubSpotPropertySpec,
} from './properties.ts';
export { INVALID_MARKER as HUBSPOT_INVALID_MARKER } from './properties.ts';
export type { HubSpotWebhookDispatcher, HubSpotWebhookSettings } from './webhooks.ts';
