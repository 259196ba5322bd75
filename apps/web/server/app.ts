import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Response } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { appRouter, createCaller, createContext } from '@syncbridge/api';
import { pingDatabase, type Database } from '@syncbridge/db';
import type { Logger } from '@syncbridge/engine';
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
}

export interface WebServer {
  app: Express;
  /** Releases what the server holds besides the database (vite's dev server); does not close `db`. */
  close(): Promise<void>;
}

export async function createWebServer(options: WebServerOptions): Promise<WebServer> {
  const { db, logger } = options;
  // Per request: the request's logger; `user` stays null until sessions exist.
  const contextFor = (res: Response) =>
    createContext({ prisma: db.prisma, pool: db.pool, logger: res.locals.log, user: null });

  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogging(logger));

  app.get('/healthz', async (_req, res) => {
    const database = await pingDatabase(db.pool);
    res
      .status(database ? 200 : 503)
      .set('cache-control', 'no-store')
      .json(database ? { status: 'ok', database } : { status: 'unavailable', database });
  });

  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ res }) => contextFor(res),
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
          getLoadContext: (_req, res): AppLoadContext => ({
            requestId: res.locals.requestId,
            log: res.locals.log,
            trpc: createCaller(contextFor(res)),
          }),
        });

  app.use(notFound);
  app.use(errorResponder(logger));
  return { app, close: release };
}
