export { appRouter, createCaller } from './router/app-router.ts';
export type { AppRouter, AppCaller } from './router/app-router.ts';
export { createContext } from './context.ts';
export type { Context, ContextDeps, SessionUser } from './context.ts';
export { toTRPCError, trpcCodeForAppErrorCode } from './trpc.ts';
export { listIntegrationSummaries } from './services/integration-summaries.ts';
export type { IntegrationFilter, IntegrationSummaryRow } from './services/integration-summaries.ts';
export type {
  TIntegrationSummary,
  TListIntegrationsInput,
  TListIntegrationsOutput,
} from './router/integrations/list-integrations.types.ts';
export type { TCheckHealthOutput } from './router/health/check-health.types.ts';
