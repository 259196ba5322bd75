import { createCallerFactory, router } from '../trpc.ts';
import { alertsRouter } from './alerts/router.ts';
import { authRouter } from './auth/router.ts';
import { conflictsRouter } from './conflicts/router.ts';
import { healthRouter } from './health/router.ts';
import { integrationsRouter } from './integrations/router.ts';
import { jobsRouter } from './jobs/router.ts';
import { logsRouter } from './logs/router.ts';
import { resourcesRouter } from './resources/router.ts';
import { syncsRouter } from './syncs/router.ts';
import { usersRouter } from './users/router.ts';

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
  integrations: integrationsRouter,
  syncs: syncsRouter,
  conflicts: conflictsRouter,
  users: usersRouter,
  resources: resourcesRouter,
  logs: logsRouter,
  jobs: jobsRouter,
  alerts: alertsRouter,
});

export type AppRouter = typeof appRouter;

/** Calls procedures in-process (Remix loaders, scripts, tests): `createCaller(ctx).integrations.list()`. */
export const createCaller = createCallerFactory(appRouter);

export type AppCaller = ReturnType<typeof createCaller>;
