import { createCallerFactory, router } from '../trpc.ts';
import { authRouter } from './auth/router.ts';
import { conflictsRouter } from './conflicts/router.ts';
import { healthRouter } from './health/router.ts';
import { integrationsRouter } from './integrations/router.ts';
import { syncsRouter } from './syncs/router.ts';
import { usersRouter } from './users/router.ts';

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
  integrations: integrationsRouter,
  syncs: syncsRouter,
  conflicts: conflictsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (Remix loaders, scripts, tests): `createCaller(ctx).integrations.list()`. */
export const createCaller = createCallerFactory(appRouter);

export type AppCaller = ReturnType<typeof createCaller>;
