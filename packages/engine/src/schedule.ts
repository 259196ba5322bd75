// Scheduled syncs: each integration with a frequency has a next_sync_at; a dispatcher (run every
// minute by the worker) claims the due ones and starts their runs. A failed run backs off
// exponentially instead of waiting for the next regular slot, and after three consecutive
// failures polling stops with the reason recorded, until an admin turns it back on.
import { CronExpressionParser } from 'cron-parser';
import type { SyncFrequency } from '@syncbridge/db';
import { backoffDelay } from './backoff.ts';
import type { EngineContext } from './context.ts';
import { nowOf } from './context.ts';
import { raiseAlert } from './alerts.ts';
import { pullResource } from './pull.ts';
import { pushAll } from './push.ts';
import { withResourceLock } from './locks.ts';
import { OUTBOX_CHANNEL } from './capture.ts';
import { withTransaction } from './sql.ts';

/** Cron (UTC) per frequency; REALTIME (webhooks, change capture) and MANUAL have none. */
export const FREQUENCY_CRON: Record<SyncFrequency, string | null> = {
  REALTIME: null,
  MANUAL: null,
  EVERY_15_MIN: '*/15 * * * *',
  EVERY_30_MIN: '*/30 * * * *',
  HOURLY: '0 * * * *',
  DAILY: '0 2 * * *',
  WEEKLY: '0 2 * * 1',
};

export const MAX_CONSECUTIVE_FAILURES = 3;

export function nextRunAt(frequency: SyncFrequency, after: Date): Date | null {
  const cron = FREQUENCY_CRON[frequency];
  if (!cron) return null;
  return CronExpressionParser.parse(cron, { currentDate: after, tz: 'UTC' }).next().toDate();
}

/**
 * Claims integrations whose next sync is due and moves their next_sync_at to the following slot
 * (so two dispatchers never claim the same one). Returns the claimed ids.
 */
export async function claimDueIntegrations(ctx: EngineContext, limit = 100): Promise<string[]> {
  const now = nowOf(ctx);
  return withTransaction(ctx.pool, async (client) => {
    const { rows } = await client.query<{ id: string; frequency: SyncFrequency }>(
      `select id, frequency::text as frequency from integrations
        where polling_enabled and status in ('ACTIVE', 'DEGRADED', 'ERROR')
          and frequency not in ('REALTIME', 'MANUAL')
          and (next_sync_at is null or next_sync_at <= $1)
        order by next_sync_at nulls first limit $2 for update skip locked`,
      [now, limit],
    );
    for (const row of rows) {
      await client.query('update integrations set next_sync_at = $2 where id = $1', [
        row.id,
        nextRunAt(row.frequency, now),
      ]);
    }
    return rows.map((r) => r.id);
  });
}

export interface IntegrationRunResult {
  resources: number;
  failed: number;
  errors: string[];
  /** Failures that were only the API's rate limit (or quota): they back off without counting. */
  rateLimited: number;
  retryAfterMs?: number;
}

/** One scheduled (or "sync all") run of an integration: pulls, then full pushes, resource by resource. */
export async function runIntegration(
  ctx: EngineContext,
  integrationId: string,
  options: {
    trigger?: string;
    full?: boolean;
    jobType?: 'SCHEDULED_SYNC' | 'MANUAL_SYNC';
    signal?: AbortSignal;
    queueJobId?: string;
  } = {},
): Promise<IntegrationRunResult> {
  const resources = await ctx.prisma.syncResource.findMany({
    where: { integrationId, enabled: true },
    orderBy: { name: 'asc' },
  });
  const result: IntegrationRunResult = { resources: resources.length, failed: 0, errors: [], rateLimited: 0 };
  const jobType = options.jobType ?? 'SCHEDULED_SYNC';
  for (const resource of resources) {
    try {
      const common = { trigger: options.trigger, jobType, signal: options.signal, queueJobId: options.queueJobId };
      await withResourceLock(
        ctx.pool,
        resource.id,
        async () => {
          if (resource.direction !== 'PUSH') await pullResource(ctx, resource.id, { ...common, full: options.full });
          if (resource.direction !== 'PULL') await pushAll(ctx, resource.id, common);
        },
        { signal: options.signal },
      );
    } catch (error) {
      result.failed++;
      result.errors.push(`${resource.name}: ${error instanceof Error ? error.message : String(error)}`);
      const { kind, retryAfterMs } = (error ?? {}) as { kind?: string; retryAfterMs?: number };
      if (kind === 'rate_limited') {
        result.rateLimited++;
        result.retryAfterMs = Math.max(result.retryAfterMs ?? 0, retryAfterMs ?? 0);
      }
    }
  }
  await recordPollingOutcome(ctx, integrationId, result);
  return result;
}

/** Success resets the failure count; failure backs off, and the third in a row stops polling. */
async function recordPollingOutcome(
  ctx: EngineContext,
  integrationId: string,
  result: IntegrationRunResult,
): Promise<void> {
  const now = nowOf(ctx);
  if (result.failed === 0) {
    await ctx.prisma.integration.update({
      where: { id: integrationId },
      data: { consecutiveFailures: 0, lastSuccessAt: now, lastSyncAt: now },
    });
    return;
  }
  if (result.rateLimited === result.failed) {
    // Only the API's rate limit or quota said no: come back after it, but this is no outage.
    const wait = Math.max(60_000, result.retryAfterMs ?? 0);
    await ctx.prisma.integration.update({
      where: { id: integrationId },
      data: {
        lastErrorAt: now,
        lastErrorMessage: result.errors.join('; ').slice(0, 1000),
        lastSyncAt: now,
        nextSyncAt: new Date(now.getTime() + wait),
      },
    });
    return;
  }
  const integration = await ctx.prisma.integration.update({
    where: { id: integrationId },
    data: {
      consecutiveFailures: { increment: 1 },
      lastErrorAt: now,
      lastErrorMessage: result.errors.join('; ').slice(0, 1000),
      lastSyncAt: now,
    },
  });
  if (integration.consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
    await ctx.prisma.integration.update({
      where: { id: integrationId },
      data: { pollingEnabled: false, status: 'ERROR', nextSyncAt: null },
    });
    await raiseAlert(ctx, {
      integrationId,
      rule: 'INTEGRATION_DOWN',
      severity: 'CRITICAL',
      title: `${integration.name}: polling stopped after ${integration.consecutiveFailures} failed syncs`,
      message: `Last error: ${integration.lastErrorMessage ?? 'unknown'}. Fix the cause, then resume polling.`,
      cooldownMs: 0,
    });
    return;
  }
  const retryAt = new Date(
    now.getTime() + backoffDelay(integration.consecutiveFailures, { baseMs: 60_000, maxMs: 30 * 60_000, jitter: 0.2 }),
  );
  const regular = nextRunAt(integration.frequency, now);
  await ctx.prisma.integration.update({
    where: { id: integrationId },
    data: { nextSyncAt: regular && regular < retryAt ? regular : retryAt },
  });
}

/** Moves items whose retry time has come back into the outbox (and wakes the drainers); returns how many. */
export async function promoteDueRetries(ctx: EngineContext, limit = 5000): Promise<number> {
  const { rows } = await ctx.pool.query<{ table_name: string }>(
    `with due as (
       update integration_mappings m set next_retry_at = null, updated_at = now()
        where m.id in (select id from integration_mappings
                        where status = 'PENDING_SYNC' and next_retry_at is not null and next_retry_at <= now()
                        order by next_retry_at limit $1 for update skip locked)
        returning m.resource_id, m.internal_id)
     insert into change_outbox (resource_id, table_name, row_key, op, origin, txid)
     select due.resource_id, r.local_schema || '.' || r.local_table, due.internal_id, 'UPDATE', null, txid_current()
       from due join sync_resources r on r.id = due.resource_id
     returning table_name`,
    [limit],
  );
  const tables = [...new Set(rows.map((r) => r.table_name))];
  if (tables.length > 0)
    await ctx.pool.query(`select pg_notify($2, t) from unnest($1::text[]) as t`, [tables, OUTBOX_CHANNEL]);
  return rows.length;
}

/** Housekeeping: logs older than 90 days and spent rate-limit events. */
export async function cleanupOldRecords(
  ctx: EngineContext,
  retentionDays = 90,
): Promise<{ logs: number; jobs: number; webhooks: number }> {
  const cutoff = new Date(nowOf(ctx).getTime() - retentionDays * 86_400_000);
  const logs = await ctx.prisma.syncLog.deleteMany({ where: { createdAt: { lt: cutoff } } });
  const jobs = await ctx.prisma.jobExecution.deleteMany({
    where: { createdAt: { lt: cutoff }, status: { notIn: ['RUNNING', 'PENDING', 'PENDING_CONFIRMATION'] } },
  });
  const webhooks = await ctx.prisma.webhookEvent.deleteMany({
    where: { receivedAt: { lt: cutoff }, status: { in: ['PROCESSED', 'IGNORED'] } },
  });
  await ctx.pool.query(`delete from rate_limit_events where at < now() - interval '1 day'`);
  return { logs: logs.count, jobs: jobs.count, webhooks: webhooks.count };
}
