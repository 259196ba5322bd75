// Asana API 1.0 as an in-process sandbox: bearer tokens (each one a user of the workspace, each with
// its own 150-per-minute window and Asana's 429 with Retry-After), tasks, users, projects with custom
// fields, offset-token pagination, opt_fields, `external:<gid>` references, webhooks with the
// X-Hook-Secret handshake and X-Hook-Signature deliveries, `{ errors: [{ message, help }] }` bodies,
// faults and request counters. The official `asana` SDK talks to it unchanged with
// `basePath = server.url + '/api/1.0'`.
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import { systemClock, type Clock } from '../../sandbox-kit/clock.ts';
import { createRequestCounter, type RequestCounter } from '../../sandbox-kit/counters.ts';
import { createFaultInjector, type FaultConfig, type FaultInjector } from '../../sandbox-kit/faults.ts';
import { createRateLimiter, type RateLimiter } from '../../sandbox-kit/rate-limiter.ts';
import type { RateLimitInfo, VendorResponse } from '../../sandbox-kit/responses.ts';
import { seededRng } from '../../sandbox-kit/rng.ts';
import { startSandbox, type SandboxServer } from '../../sandbox-kit/server.ts';
import { safeEqual } from '../../webhook-signature.ts';
import { ASANA_REQUESTS_PER_WINDOW, ASANA_WINDOW_MS } from '../limits.ts';
import { AsanaApiError, asanaErrors } from './errors.ts';
import { createAsanaRouter } from './routes.ts';
import { AsanaStore, type StoredUser } from './store.ts';
import { createAsanaWebhookDispatcher, type AsanaWebhookDispatcher, type AsanaWebhookSettings } from './webhooks.ts';

/** Where the API lives on the sandbox's origin, as on app.asana.com. */
export const ASANA_API_PATH = '/api/1.0';

export interface AsanaSandboxOptions {
  /** Accepted personal access tokens (default 'sandbox-token'); each belongs to its own user. */
  accessToken?: string | string[];
  /** Default 150 per 60 000 ms (free domains); tests shorten both. */
  requestsPerWindow?: number;
  windowMs?: number;
  workspaceName?: string;
  seed?: number;
  faults?: Partial<FaultConfig>;
  webhooks?: AsanaWebhookSettings;
  clock?: Clock;
  bodyLimit?: string;
}

export interface AsanaSandbox {
  app: Express;
  /** Direct reads and writes (users, projects, custom fields, tasks), as a person in Asana would. */
  store: AsanaStore;
  faults: FaultInjector;
  counters: RequestCounter;
  limiter: RateLimiter;
  webhooks: AsanaWebhookDispatcher;
  /** The user each accepted token acts as. */
  userOfToken(token: string): StoredUser | undefined;
  /** Serves the app on 127.0.0.1; the API base is `server.url + ASANA_API_PATH`. */
  start(port?: number): Promise<SandboxServer>;
}

export function createAsanaSandbox(options: AsanaSandboxOptions = {}): AsanaSandbox {
  const clock = options.clock ?? systemClock;
  const rng = seededRng(options.seed ?? 1);
  const store = new AsanaStore({ clock, workspaceName: options.workspaceName });
  const tokens = new Map<string, StoredUser>();
  ([] as string[]).concat(options.accessToken ?? 'sandbox-token').forEach((token, index) => {
    tokens.set(
      token,
      store.addUser({
        name: index === 0 ? 'Syncbridge' : `Syncbridge ${index + 1}`,
        email: `syncbridge${index || ''}@asana.example`,
      }),
    );
  });
  const webhooks = createAsanaWebhookDispatcher({ store, rng, clock, settings: options.webhooks });
  store.onChange((change) => webhooks.handle(change));
  const counters = createRequestCounter({ clock });

  const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : null);
  const tokenOf = (req: Request): string | null => {
    const given = bearer(req.headers.authorization);
    if (given === null) return null;
    let found: string | null = null;
    for (const accepted of tokens.keys()) if (safeEqual(given, accepted)) found = accepted;
    return found;
  };
  const errorResponse = (error: AsanaApiError, headers?: Record<string, string>): VendorResponse => ({
    status: error.status,
    body: error.toBody(),
    headers,
  });
  const rateLimited = (info: RateLimitInfo) =>
    errorResponse(asanaErrors.rateLimited(), {
      'Retry-After': String(Math.max(1, Math.ceil(info.retryAfterMs / 1000))),
    });
  const limiter: RateLimiter = createRateLimiter({
    requestsPerWindow: options.requestsPerWindow ?? ASANA_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? ASANA_WINDOW_MS,
    clock,
    keyOf: (req) => bearer(req.headers.authorization),
    rejectResponse: rateLimited,
    // Asana sends no rate-limit headers on admitted requests.
    admittedHeaders: () => ({}),
  });
  const faults = createFaultInjector({
    rng,
    config: options.faults,
    errorResponse: (status) => errorResponse(asanaErrors.server(status)),
    rateLimitResponse: () =>
      rateLimited({ limit: limiter.config.requestsPerWindow, remaining: 0, retryAfterMs: 30_000 }),
  });

  const authenticate: RequestHandler = (req, res, next) => {
    const token = tokenOf(req);
    if (!token) {
      const error = asanaErrors.notAuthorized();
      res.status(error.status).json(error.toBody());
      return;
    }
    res.locals.asanaUser = tokens.get(token)?.gid;
    next();
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // The Date header follows the sandbox clock (the connector's incremental cursor reads it).
  app.use((_req, res, next) => {
    res.setHeader('Date', new Date(clock()).toUTCString());
    next();
  });
  app.use(faults.middleware);
  app.use(ASANA_API_PATH, authenticate);
  app.use(ASANA_API_PATH, limiter.middleware);
  app.use(express.json({ limit: options.bodyLimit ?? '10mb' }));
  app.use(
    ASANA_API_PATH,
    createAsanaRouter({
      store,
      webhooks,
      count: counters.middleware,
      userOf: (req) => String((req.res?.locals as { asanaUser?: string } | undefined)?.asanaUser ?? ''),
    }),
  );
  app.use((_req, res) => {
    res.status(404).json(asanaErrors.noRoute().toBody());
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const type = (error as { type?: string }).type;
    const known =
      error instanceof AsanaApiError
        ? error
        : type === 'entity.parse.failed'
          ? asanaErrors.invalidJson()
          : type === 'entity.too.large'
            ? asanaErrors.tooLarge()
            : asanaErrors.server(500);
    res.status(known.status).json(known.toBody());
  };
  app.use(onError);

  return {
    app,
    store,
    faults,
    counters,
    limiter,
    webhooks,
    userOfToken: (token) => tokens.get(token),
    start: (port) => startSandbox(app, { port }),
  };
}

// Exported under Asana-prefixed names: other sandboxes share the `sandboxes` entry.
export { AsanaStore } from './store.ts';
export type {
  StoredTask as AsanaStoredTask,
  StoredUser as AsanaStoredUser,
  StoredProject as AsanaStoredProject,
  StoredCustomField as AsanaStoredCustomField,
  TaskChange as AsanaTaskChange,
  TaskInput as AsanaTaskInput,
  CustomFieldType as AsanaCustomFieldType,
} from './store.ts';
export { AsanaApiError } from './errors.ts';
export type { AsanaErrorBody } from './errors.ts';
export type {
  AsanaWebhookDispatcher,
  AsanaWebhookSettings,
  AsanaWebhookFilter,
  StoredWebhook as AsanaStoredWebhook,
} from './webhooks.ts';
