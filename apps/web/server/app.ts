import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import { TRPCError } from '@trpc/server';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { appRouter, createCaller, createRequestContext, CSRF_HEADER, type AuthSettings } from '@syncbridge/api';
import { pingDatabase, type Database } from '@syncbridge/db';
import type { JobSender, KeyRing, Logger } from '@syncbridge/engine';
import type { AppLoadContext } from '@remix-run/node';
import { errorResponder, notFound } from './http-errors.ts';
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
}

/** What the admin procedures need beyond the database. */
export interface WebApiOptions {
  /** Encrypts credentials and webhook secrets (integrations.create/update fail with 412 without it). */
  keyRing?: KeyRing | null;
  /** Queues manual syncs (syncs.trigger fails with 412 without it). */
  sendJob?: JobSender | null;
  /** Cookie and sign-in settings; cookies are Secure unless `secureCookies: false` (http localhost). */
  auth?: Partial<AuthSettings>;
}

export interface WebServer {
  app: Express;
  /** Releases what the server holds besides the database (vite's dev server); does not close `db`. */
  close(): Promise<void>;
}

export async function createWebServer(options: WebServerOptions): Promise<WebServer> {
  const { db, logger } = options;
  // ── Auth: per request, the session cookie becomes ctx.user (tRPC and Remix loaders alike) ──
  const contextFor = (req: Request, res: Response) =>
    createRequestContext(
      {
        prisma: db.prisma,
        pool: db.pool,
        logger: res.locals.log,
        keyRing: options.api?.keyRing ?? null,
        sendJob: options.api?.sendJob ?? null,
        auth: options.api?.auth,
      },
      {
        cookieHeader: req.headers.cookie,
        csrfHeader: req.get(CSRF_HEADER),
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
