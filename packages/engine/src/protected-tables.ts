// Tables a sync resource may never read or write, whatever the live schema says: Syncbridge's own
// (users with their password hashes, sessions, sealed credentials, the audit trail, …), pg-boss's
// queue, and Postgres's catalogs. Resource configuration names tables by identifier, so without
// this an admin form could push `users.password_hash` to a spreadsheet or let the in-database
// connector upsert rows into `users`.
import { AppError } from './errors.ts';

/** The engine's tables in its own schema (the @@map names of packages/db/prisma/schema.prisma). */
export const ENGINE_TABLES: ReadonlySet<string> = new Set([
  '_prisma_migrations',
  'alerts',
  'audit_events',
  'change_outbox',
  'conflict_resolutions',
  'integration_mappings',
  'integrations',
  'job_executions',
  'rate_limit_events',
  'sessions',
  'sync_logs',
  'sync_resources',
  'system_settings',
  'users',
  'webhook_events',
]);

const PROTECTED_SCHEMAS = /^(pg_.*|information_schema|pgboss)$/i;

/** Why `schema.table` may not be synced, or null when it may. */
export function protectedRelationReason(schema: string, table: string): string | null {
  if (PROTECTED_SCHEMAS.test(schema)) return `the ${schema} schema belongs to the database or the job queue`;
  if (ENGINE_TABLES.has(table.toLowerCase()) && schema === 'public')
    return `${table} is one of Syncbridge's own tables`;
  return null;
}

/** Throws VALIDATION when a resource names a protected table. */
export function assertSyncableRelation(schema: string, table: string): void {
  const reason = protectedRelationReason(schema, table);
  if (reason) throw new AppError('VALIDATION', `Table ${schema}.${table} cannot be synced: ${reason}.`);
}
