import { createCallerFactory, router } from '../trpc.ts';
import { healthRouter } from './health/router.ts';
import { integrationsRouter } from './integrations/router.ts';

export const appRouter = router({
  health: healthRouter,
  integrations: integrationsRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (Remix loaders, scripts, tests): `createCaller(ctx).integrations.list()`. */
export const createCaller = createCallerFactory(appRouter);

export type AppCaller = ReturnType<typeof createCaller>;
