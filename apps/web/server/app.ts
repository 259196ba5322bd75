import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import { TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { appRouter, createCaller, createRequestContext, CSRF_HEADER, type AuthSettings } from '@syncbridge/api';
import { pingDatabase, type Database } from '@syncbridge/db';
import type { JobSender, KeyRing, Logger, OutboundPolicy } from '@syncbridge/engine';
import type { AppLoadContext } from '@remix-run/node';
import { createCronRouter } from './cron.ts';
import { errorResponder, notFound } from './http-errors.ts';
import { createMetricsRouter } from './metrics.ts';
import { LOGS_EXPORT_PATH, logsExportHandler } from './logs-export.ts';
import { mountRemix } from './remix.ts';
import { requestLogging } from './request-logging.ts';

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type WebServerMode = 'production' | 'development' | 'api-only';

export interface WebServerOptions {
  db: Pick<Database, 'prisma' | 'pool'>;
  logger: Logger;
  /**
   * production: serve `build/` (run `pnpm --filter @syncbridge/web build` first);
   * development: vite dev server in middleware mode; api-only: /healthz and /trpc, no Remix.
   */
  mode: WebServerMode;
  /** Defaults to apps/web/build. */
  buildDir?: string;
  // ── Auth and admin procedures (sessions, roles, credentials) ──
  api?: WebApiOptions;
  /** Webhook ingress router (server/webhooks.ts createWebhookRouter); not mounted when absent. */
  webhooks?: express.Router;
  /** CRON_SECRET: turns on POST /api/cron/* (server/cron.ts), which send through `api.sendJob`. */
  cronSecret?: string | null;
  /** METRICS_TOKEN: GET /metrics then asks for it as a bearer token. */
  metricsToken?: string | null;
}

/** What the admin procedures need beyond the database. */
export interface WebApiOptions {
  /** Encrypts credentials and webhook secrets (integrations.create/update fail with 412 without it). */
  keyRing?: KeyRing | null;
  /** Queues manual syncs (syncs.trigger fails with 412 without it). */
  sendJob?: JobSender | null;
  /** Cookie and sign-in settings; cookies are Secure unless `secureCookies: false` (http localhost). */
  auth?: Partial<AuthSettings>;
  /** OUTBOUND_ALLOWLIST: integration base URLs at other internal addresses are refused (SSRF). */
  outbound?: OutboundPolicy | null;
}

export interface WebServer {
  app: Express;
  /** Releases what the server holds besides the database (vite's dev server); does not close `db`. */
  close(): Promise<void>;
}

export async function createWebServer(options: WebServerOptions): Promise<WebServer> {
  const { db, logger } = options;
  // ── Auth: per request, the session cookie becomes ctx.user (tRPC and Remix loaders alike) ──
  // `csrfToken` stands in for the x-csrf-token header when a plain HTML form posts (sign-out).
  const contextFor = (req: Request, res: Response, csrfToken?: string) =>
    createRequestContext(
      {
        prisma: db.prisma,
        pool: db.pool,
        logger: res.locals.log,
        keyRing: options.api?.keyRing ?? null,
        sendJob: options.api?.sendJob ?? null,
        auth: options.api?.auth,
        outbound: options.api?.outbound ?? null,
      },
      {
        cookieHeader: req.headers.cookie,
        csrfHeader: csrfToken ?? req.get(CSRF_HEADER),
        ip: req.ip ?? null,
        setCookie: (header) => res.append('Set-Cookie', header),
      },
    );

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging(logger));

  // ── Webhook ingress (server/webhooks.ts) ── POST /api/webhooks/integrations/:id/receive reads the
  // raw body itself (signatures cover the bytes as sent), so it is mounted before any JSON/body
  // parser and before the tRPC and Remix handlers.
  if (options.webhooks) app.use(options.webhooks);

  app.get('/healthz', async (_req, res) => {
    const database = await pingDatabase(db.pool);
    res
      .status(database ? 200 : 503)
      .set('cache-control', 'no-store')
      .json(database ? { status: 'ok', database } : { status: 'unavailable', database });
  });

  // ── Operations: Prometheus scrapes and an external scheduler's calls (404 without CRON_SECRET) ──
  app.use(createMetricsRouter({ pool: db.pool, token: options.metricsToken }));
  app.use(createCronRouter({ secret: options.cronSecret, sendJob: options.api?.sendJob ?? null, logger }));

  // ── Sign-in form (no JavaScript needed): the same auth.signIn procedure the API offers, so
  // throttling, audit rows and cookies are the same; then back to the page.
  app.post('/sign-in', express.urlencoded({ extended: false, limit: '10kb' }), async (req, res) => {
    const { email, password } = (req.body ?? {}) as { email?: unknown; password?: unknown };
    try {
      const caller = createCaller(await contextFor(req, res));
      await caller.auth.signIn({ email: String(email ?? ''), password: String(password ?? '') });
      res.redirect(303, '/');
    } catch (error) {
      const throttled = error instanceof TRPCError && error.code === 'TOO_MANY_REQUESTS';
      res.redirect(303, `/sign-in?error=${throttled ? 'throttled' : 'invalid'}`);
    }
  });

  // ── Sign-out form: a plain POST carrying the session's CSRF token as a form field (a form cannot
  // set headers), checked by auth.signOut like the header would be. A missing or wrong token gets
  // 403 and the session stays; without a live session the cookies are cleared all the same.
  app.post('/sign-out', express.urlencoded({ extended: false, limit: '10kb' }), async (req, res, next) => {
    const { csrfToken } = (req.body ?? {}) as { csrfToken?: unknown };
    try {
      const caller = createCaller(await contextFor(req, res, typeof csrfToken === 'string' ? csrfToken : ''));
      await caller.auth.signOut();
      res.redirect(303, '/sign-in');
    } catch (error) {
      next(error);
    }
  });

  // ── Sync log CSV export (server/logs-export.ts): streamed, signed in by the session cookie ──
  app.get(LOGS_EXPORT_PATH, logsExportHandler(contextFor));

  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) => contextFor(req, res),
      onError: ({ error, path: procedure, ctx }) => {
        const log = ctx?.logger ?? logger;
        // Client mistakes are routine; only unexpected failures deserve an error line (with stack).
        if (error.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error.cause ?? error, procedure }, 'trpc error');
        else log.debug({ code: error.code, procedure }, 'trpc client error');
      },
    }),
  );

  const release =
    options.mode === 'api-only'
      ? async () => undefined
      : await mountRemix(app, {
          mode: options.mode,
          webRoot,
          buildDir: options.buildDir ?? path.join(webRoot, 'build'),
          // Loaders read through the same procedures as the browser, in-process.
          getLoadContext: async (req, res): Promise<AppLoadContext> => ({
            requestId: res.locals.requestId,
            log: res.locals.log,
            trpc: createCaller(await contextFor(req, res)),
          }),
        });

  app.use(notFound);
  app.use(errorResponder(logger));
  return { app, close: release };
}
