export { appRouter, createCaller } from './router/app-router.ts';
export type { AppRouter, AppCaller } from './router/app-router.ts';
export { createContext, defaultAuthSettings } from './context.ts';
export type { AuthSettings, Context, ContextDeps, CookieSession, SessionUser } from './context.ts';
export { createRequestContext } from './request-context.ts';
export type { RequestContextDeps, RequestInfo } from './request-context.ts';
export { toTRPCError, trpcCodeForAppErrorCode } from './trpc.ts';
export { listIntegrationSummaries } from './services/integration-summaries.ts';
export type { IntegrationFilter, IntegrationSummaryRow } from './services/integration-summaries.ts';
export { hashPassword, verifyPassword } from './services/passwords.ts';
export { createSession, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './services/sessions.ts';
export { createUser, ensureFirstAdmin, listUsers, MIN_PASSWORD_LENGTH } from './services/users.ts';
export { reencryptSecrets } from './services/key-rotation.ts';
export type { RotationResult } from './services/key-rotation.ts';
export { withoutSecrets } from './services/audit.ts';
export { buildLogWhere, syncLogBatches } from './services/sync-logs.ts';
export type { SyncLogFilter, SyncLogItem } from './services/sync-logs.ts';
export { ZLogFilter } from './router/logs/list-logs.types.ts';
export type {
  TLogFilter,
  TLogFilterInput,
  TListLogsInput,
  TListLogsOutput,
  TSyncLogItem,
} from './router/logs/list-logs.types.ts';
export type { TGetLogOutput } from './router/logs/get-log.types.ts';
export type { TConflictSummary, TListConflictsOutput } from './router/conflicts/list-conflicts.types.ts';
export type { TGetConflictOutput } from './router/conflicts/get-conflict.types.ts';
export type {
  TIntegrationSummary,
  TListIntegrationsInput,
  TListIntegrationsOutput,
} from './router/integrations/list-integrations.types.ts';
export type { TCheckHealthOutput } from './router/health/check-health.types.ts';
