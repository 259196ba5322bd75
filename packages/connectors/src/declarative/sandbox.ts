// A generic, configurable sandbox for the declarative connector: given a vendor profile (see
// sandbox-profile.ts and sandbox-profiles.ts) it serves that API's list, get, create, update, delete
// and batch endpoints in the vendor's shapes, checks credentials exactly as the vendor does (query
// keys, Basic, custom headers, bearer, OAuth2 with a token endpoint issuing short-lived tokens),
// enforces a per-credential rate limit with the vendor's 429, injects faults and sends signed
// webhooks. monday.com (GraphQL) and Salesforce (SOQL, sObject Collections) have dialect routers.
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from 'express';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../sandbox-kit/clock.ts';
import { createRequestCounter, type RequestCounter } from '../sandbox-kit/counters.ts';
import { createFaultInjector, type FaultConfig, type FaultInjector } from '../sandbox-kit/faults.ts';
import { createRateLimiter, type RateLimiter } from '../sandbox-kit/rate-limiter.ts';
import { defaultRateLimitResponse } from '../sandbox-kit/responses.ts';
import { seededRng } from '../sandbox-kit/rng.ts';
import { startSandbox, type SandboxServer } from '../sandbox-kit/server.ts';
import { createWebhookSender, type DeliveryResult, type WebhookSender } from '../sandbox-kit/webhook-sender.ts';
import { safeEqual } from '../webhook-signature.ts';
import { ZWebhookSigning } from './definition.ts';
import { mondayRoutes } from './sandbox-monday.ts';
import { renderItem, type SandboxProfile } from './sandbox-profile.ts';
import { restRoutes } from './sandbox-rest.ts';
import { salesforceRoutes } from './sandbox-salesforce.ts';
import { DeclarativeStore, SandboxError, type SandboxChange } from './sandbox-store.ts';
import { signWebhookHeaders } from './webhooks.ts';

export interface DeclarativeSandboxOptions {
  seed?: number;
  faults?: Partial<FaultConfig>;
  clock?: Clock;
  requestsPerWindow?: number;
  windowMs?: number;
  webhook?: DeclarativeWebhookConfig | null;
}

export interface DeclarativeWebhookConfig {
  url: string;
  secret: string;
  /** The URL as registered with the vendor, when it is part of the signed content (Trello). */
  callbackUrl?: string;
  maxAttempts?: number;
  retryDelayMs?: number;
}

export interface SandboxOAuthState {
  /** Token endpoint calls (any outcome). */
  readonly tokenRequests: number;
  /** The refresh token currently accepted (rotates when the profile says so). */
  readonly refreshToken: string | null;
  /** Makes every issued access token invalid (the next call answers 401). */
  revokeAccessTokens(): void;
  /** Refuses every refresh from now on (a revoked grant). */
  revokeRefreshToken(): void;
}

export interface DeclarativeSandbox {
  readonly profile: SandboxProfile;
  app: Express;
  store: DeclarativeStore;
  faults: FaultInjector;
  counters: RequestCounter;
  limiter: RateLimiter;
  oauth: SandboxOAuthState;
  /** Maps a sub-container to its object (Trello list id → board id) for creates that name the former. */
  alias(from: string, to: string): void;
  webhooks: {
    configure(config: DeclarativeWebhookConfig | null): void;
    readonly deliveries: readonly DeliveryResult[];
    idle(): Promise<void>;
  };
  start(port?: number): Promise<SandboxServer>;
}

export interface SandboxContext {
  profile: SandboxProfile;
  store: DeclarativeStore;
  count: RequestHandler;
  aliases: Map<string, string>;
  baseUrlOf(req: Request): string;
}

export function createDeclarativeSandbox(
  profile: SandboxProfile,
  options: DeclarativeSandboxOptions = {},
): DeclarativeSandbox {
  const clock = options.clock ?? systemClock;
  const rng = seededRng(options.seed ?? 1);
  const store = new DeclarativeStore({ idStyle: profile.idStyle, clock });
  const counters = createRequestCounter({ clock });
  const aliases = new Map<string, string>();
  const rateLimitResponse = profile.rateLimitResponse ?? defaultRateLimitResponse;

  // OAuth2 state (only used by oauth2 profiles).
  const issued = new Map<string, number>();
  let tokenRequests = 0;
  let refreshToken: string | null = profile.auth.style === 'oauth2' ? (profile.auth.refreshToken ?? null) : null;
  let refreshRevoked = false;

  /** The credential a request presents, or null: also the rate limiter's key. */
  function credentialOf(req: Request): string | null {
    const auth = profile.auth;
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return typeof value === 'string' ? value : null;
    };
    switch (auth.style) {
      case 'bearer':
      case 'oauth2': {
        const value = header('authorization');
        return value?.startsWith('Bearer ') ? value.slice(7).trim() : null;
      }
      case 'header': {
        const value = header(auth.header);
        const prefix = auth.prefix ?? '';
        return value && value.startsWith(prefix) ? value.slice(prefix.length) : null;
      }
      case 'query': {
        const values = Object.keys(auth.params).map((name) => req.query[name]);
        return values.every((value) => typeof value === 'string') ? values.join(':') : null;
      }
      case 'basic': {
        const value = header('authorization');
        return value?.startsWith('Basic ') ? Buffer.from(value.slice(6), 'base64').toString('utf8') : null;
      }
    }
  }

  function isValid(credential: string): boolean {
    const auth = profile.auth;
    let valid = false;
    switch (auth.style) {
      case 'bearer':
        for (const token of auth.tokens) valid = safeEqual(credential, token) || valid;
        return valid;
      case 'header':
        for (const value of auth.values) valid = safeEqual(credential, value) || valid;
        return valid;
      case 'query':
        return safeEqual(credential, Object.values(auth.params).join(':'));
      case 'basic':
        return safeEqual(credential, `${auth.username}:${auth.password}`);
      case 'oauth2': {
        const expires = issued.get(credential);
        return expires !== undefined && expires > clock();
      }
    }
  }

  const authenticate: RequestHandler = (req, res, next) => {
    for (const [name, expected] of Object.entries(profile.requiredHeaders ?? {})) {
      const value = req.headers[name.toLowerCase()];
      if (typeof value !== 'string' || (expected !== null && value !== expected)) {
        res
          .status(expected === null ? 400 : 403)
          .json(profile.error(expected === null ? 400 : 403, 'missing_header', `${name} header is missing or wrong`));
        return;
      }
    }
    const credential = credentialOf(req);
    if (credential === null || !isValid(credential)) {
      const code = profile.dialect === 'salesforce' ? 'INVALID_SESSION_ID' : 'invalid_token';
      const message =
        profile.dialect === 'salesforce' ? 'Session expired or invalid' : 'The credentials are missing or not valid.';
      res.status(401).json(profile.error(401, code, message));
      return;
    }
    next();
  };

  const limiter = createRateLimiter({
    requestsPerWindow: options.requestsPerWindow ?? profile.rateLimit.requests,
    windowMs: options.windowMs ?? profile.rateLimit.windowMs,
    clock,
    // OAuth2: the client is limited, whatever token it holds at the moment.
    keyOf: (req) => (profile.auth.style === 'oauth2' ? profile.auth.clientId : credentialOf(req)),
    rejectResponse: rateLimitResponse,
  });
  const faults = createFaultInjector({
    rng,
    config: options.faults,
    errorResponse: (status) => ({
      status,
      body: profile.error(status, 'server_error', `Simulated upstream failure (${status}).`),
    }),
    rateLimitResponse: () =>
      rateLimitResponse({
        limit: limiter.config.requestsPerWindow,
        remaining: 0,
        retryAfterMs: limiter.config.windowMs,
      }),
  });

  const tokenEndpoint: RequestHandler = (req, res) => {
    const auth = profile.auth;
    if (auth.style !== 'oauth2') return void res.status(404).end();
    tokenRequests++;
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    const basic = req.headers.authorization;
    if (basic?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const fail = (status: number, error: string, description: string) =>
      res.status(status).json({ error, error_description: description });
    if (
      !clientId ||
      !clientSecret ||
      !safeEqual(clientId, auth.clientId) ||
      !safeEqual(clientSecret, auth.clientSecret)
    )
      return void fail(400, 'invalid_client', 'invalid client credentials');
    const answer: Record<string, unknown> = { token_type: 'Bearer', issued_at: String(clock()) };
    if (body.grant_type === 'refresh_token') {
      if (refreshRevoked || !refreshToken || !body.refresh_token || !safeEqual(body.refresh_token, refreshToken))
        return void fail(400, 'invalid_grant', 'expired access/refresh token');
      if (auth.rotateRefreshToken) {
        refreshToken = `rt_${randomBytes(12).toString('hex')}`;
        answer.refresh_token = refreshToken;
      }
    } else if (body.grant_type !== 'client_credentials' || auth.refreshToken) {
      return void fail(400, 'unsupported_grant_type', 'grant type not supported');
    }
    const token = `at_${randomBytes(16).toString('hex')}`;
    issued.set(token, clock() + auth.ttlMs);
    answer.access_token = token;
    if (auth.announceExpiry) answer.expires_in = Math.floor(auth.ttlMs / 1000);
    if (auth.instanceUrl) answer.instance_url = baseUrlOf(req);
    res.json(answer);
  };

  const baseUrlOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const context: SandboxContext = { profile, store, count: counters.middleware, aliases, baseUrlOf };

  // Webhooks: every store change, signed with the vendor's scheme, delivered in order.
  const signing = profile.webhook ? ZWebhookSigning.parse(profile.webhook.signing) : null;
  let webhookConfig: DeclarativeWebhookConfig | null = null;
  let sender: WebhookSender | null = null;
  const senders: WebhookSender[] = [];
  const deliveries: DeliveryResult[] = [];
  let nextEvent = 1;
  const configureWebhooks = (config: DeclarativeWebhookConfig | null) => {
    webhookConfig = config;
    if (!config || !signing) return void (sender = null);
    const { secret, callbackUrl } = config;
    sender = createWebhookSender({
      rng,
      maxAttempts: config.maxAttempts ?? 3,
      retryDelayMs: config.retryDelayMs ?? 50,
      sign: ({ deliveryId, rawBody, now }) =>
        signWebhookHeaders(signing, { secret, rawBody, now, callbackUrl, deliveryId }),
    });
    senders.push(sender);
  };
  configureWebhooks(options.webhook ?? null);
  store.onChange((change: SandboxChange) => {
    if (!sender || !webhookConfig || !profile.webhook) return;
    const eventId = `evt_${String(nextEvent++).padStart(6, '0')}`;
    const render = (item: typeof change.item) =>
      renderItem(profile, item, webhookConfig?.url ? new URL(webhookConfig.url).origin : '');
    sender.enqueue({
      id: eventId,
      url: webhookConfig.url,
      payload: profile.webhook.payload(change, render, eventId),
      headers: profile.webhook.headers?.(change),
    });
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(faults.middleware);
  if (profile.auth.style === 'oauth2')
    app.post(profile.auth.tokenPath, express.urlencoded({ extended: false }), tokenEndpoint);
  app.use(authenticate);
  app.use(limiter.middleware);
  app.use(express.json({ limit: '10mb', type: () => true }));
  app.get(
    `${profile.basePath}${profile.test.path}`,
    counters.middleware,
    (_req, res) => void res.json(profile.test.body),
  );
  if (profile.dialect === 'monday-graphql') app.use(mondayRoutes(context));
  else if (profile.dialect === 'salesforce') app.use(salesforceRoutes(context));
  else app.use(restRoutes(context));
  app.use((req, res) => {
    res.status(404).json(profile.error(404, 'not_found', `No route for ${req.method} ${req.path}`));
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (error instanceof SandboxError) {
      res.status(error.status).json(profile.error(error.status, error.code, error.message));
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.parse.failed')
      res.status(400).json(profile.error(400, 'invalid_json', 'Request body is not valid JSON.'));
    else
      res
        .status(500)
        .json(profile.error(500, 'internal_error', error instanceof Error ? error.message : 'Unexpected error.'));
  };
  app.use(onError);

  return {
    profile,
    app,
    store,
    faults,
    counters,
    limiter,
    oauth: {
      get tokenRequests() {
        return tokenRequests;
      },
      get refreshToken() {
        return refreshToken;
      },
      revokeAccessTokens: () => issued.clear(),
      revokeRefreshToken: () => {
        refreshRevoked = true;
      },
    },
    alias: (from, to) => void aliases.set(from, to),
    webhooks: {
      configure: configureWebhooks,
      get deliveries() {
        deliveries.length = 0;
        for (const s of senders) deliveries.push(...s.results);
        return deliveries;
      },
      async idle() {
        for (const s of senders) await s.idle();
      },
    },
    start: (port) => startSandbox(app, { port }),
  };
}
