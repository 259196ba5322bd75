// JobExecution bookkeeping: every run records live progress (total, processed, succeeded, failed,
// conflicts) so the admin app can show it while the run is going.
import type { Connector } from '@syncbridge/connectors';
import type { JobType, Prisma } from '@syncbridge/db';
import type { EngineContext } from './context.ts';
import { nowOf } from './context.ts';
import { countRecords, countSyncRun } from './metrics.ts';
import { ResourceBusyError, withResourceLock } from './locks.ts';
import { loadResource, type LoadedResource } from './resource-config.ts';

export interface ProgressDelta {
  total?: number;
  processed?: number;
  succeeded?: number;
  failed?: number;
  conflicts?: number;
  added?: number;
  changed?: number;
  removed?: number;
  skipped?: number;
}

export async function startJob(
  ctx: EngineContext,
  data: {
    integrationId: string;
    resourceId?: string | null;
    jobType: JobType;
    trigger?: string;
    direction?: 'PUSH' | 'PULL' | 'BIDIRECTIONAL';
    queueJobId?: string;
  },
): Promise<string> {
  const job = await ctx.prisma.jobExecution.create({
    data: { ...data, status: 'RUNNING', startedAt: nowOf(ctx) },
    select: { id: true },
  });
  return job.id;
}

export async function addProgress(ctx: EngineContext, jobId: string, delta: ProgressDelta): Promise<void> {
  const data: Prisma.JobExecutionUpdateInput = {};
  for (const [key, value] of Object.entries(delta)) {
    if (value) (data as Record<string, unknown>)[key] = { increment: value };
  }
  if (Object.keys(data).length > 0) await ctx.prisma.jobExecution.update({ where: { id: jobId }, data });
  countRecords(delta);
}

export async function setTotal(ctx: EngineContext, jobId: string, total: number): Promise<void> {
  await ctx.prisma.jobExecution.update({ where: { id: jobId }, data: { total } });
}

export async function finishJob(
  ctx: EngineContext,
  jobId: string,
  outcome: {
    status: 'COMPLETED' | 'PARTIAL' | 'FAILED' | 'CANCELLED' | 'PENDING_CONFIRMATION';
    errorMessage?: string;
    errorDetails?: Prisma.InputJsonValue;
  },
): Promise<void> {
  const job = await ctx.prisma.jobExecution.findUnique({
    where: { id: jobId },
    select: { startedAt: true, direction: true },
  });
  const completedAt = nowOf(ctx);
  await ctx.prisma.jobExecution.update({
    where: { id: jobId },
    data: {
      status: outcome.status,
      errorMessage: outcome.errorMessage,
      errorDetails: outcome.errorDetails,
      completedAt,
      durationMs: job?.startedAt ? completedAt.getTime() - job.startedAt.getTime() : null,
    },
  });
  countSyncRun(job?.direction, outcome.status);
}

/** Why a run stopped early, on its execution row. */
export const CANCELLED_MESSAGE = 'Cancelled on request; what was not done yet is left for the next run.';

/** True when an admin asked to cancel this run (one primary-key read: runs ask between batches). */
export async function cancelRequested(ctx: EngineContext, jobId: string): Promise<boolean> {
  const job = await ctx.prisma.jobExecution.findUnique({ where: { id: jobId }, select: { cancelRequested: true } });
  return Boolean(job?.cancelRequested);
}

/**
 * Realtime change pushes arrive many times a second: they roll up into one CHANGE_PUSH execution
 * per resource per five minutes instead of one row per commit.
 */
export async function rollingChangePushJob(
  ctx: EngineContext,
  integrationId: string,
  resourceId: string,
): Promise<string> {
  const since = new Date(nowOf(ctx).getTime() - 5 * 60_000);
  const open = await ctx.prisma.jobExecution.findFirst({
    // A cancelled one is not reopened: its flag would stop every later drain at once.
    where: { resourceId, jobType: 'CHANGE_PUSH', createdAt: { gte: since }, cancelRequested: false },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  });
  if (open) {
    await ctx.prisma.jobExecution.update({
      where: { id: open.id },
      // errorMessage: a reopened row may carry failAbandonedRuns' note from a worker that died.
      data: { status: 'RUNNING', completedAt: null, errorMessage: null },
    });
    return open.id;
  }
  return startJob(ctx, { integrationId, resourceId, jobType: 'CHANGE_PUSH', trigger: 'change', direction: 'PUSH' });
}

/** What a full run (pull or push of one resource) starts with: its config, connector and execution row. */
export async function startResourceRun(
  ctx: EngineContext,
  resourceId: string,
  direction: 'PUSH' | 'PULL',
  options: { jobType?: JobType; trigger?: string; queueJobId?: string },
): Promise<{ loaded: LoadedResource; connector: Connector; jobId: string }> {
  const loaded = await loadResource(ctx, resourceId);
  const connector = await ctx.connectors(loaded.integration);
  const jobId = await startJob(ctx, {
    integrationId: loaded.integration.id,
    resourceId,
    jobType: options.jobType ?? 'MANUAL_SYNC',
    trigger: options.trigger ?? 'manual',
    direction,
    queueJobId: options.queueJobId,
  });
  return { loaded, connector, jobId };
}

/** Why a run that failAbandonedRuns found ended. */
export const ABANDONED_MESSAGE =
  'The worker running this stopped before it finished (killed or crashed); the next run picks up what is left.';

/**
 * Runs whose worker died (SIGKILL, out of memory, a lost host) would stay RUNNING for ever: nothing
 * else finishes them. Every run holds its resource's advisory lock from before its execution row is
 * RUNNING until after it is finished, and the lock dies with the worker's connection, so a RUNNING
 * run whose resource lock is free has nobody working on it: it is marked FAILED. Runs at worker
 * start and with the minutely retry pass; returns how many runs it ended.
 */
export async function failAbandonedRuns(ctx: EngineContext): Promise<number> {
  const { rows } = await ctx.pool.query<{ resource_id: string }>(
    `select distinct resource_id from job_executions where status = 'RUNNING' and resource_id is not null`,
  );
  let failed = 0;
  for (const { resource_id: resourceId } of rows) {
    try {
      // Through withResourceLock: changes a drainer skipped while we held the lock are NOTIFYed after.
      failed += await withResourceLock(
        ctx.pool,
        resourceId,
        async () => {
          const result = await ctx.pool.query(
            `update job_executions
                set status = 'FAILED', error_message = $2, completed_at = now(), updated_at = now(),
                    duration_ms = (extract(epoch from now() - coalesce(started_at, created_at)) * 1000)::int
              where resource_id = $1 and status = 'RUNNING'`,
            [resourceId, ABANDONED_MESSAGE],
          );
          return result.rowCount ?? 0;
        },
        { waitMs: 0 },
      );
    } catch (error) {
      if (!(error instanceof ResourceBusyError)) throw error; // a live run holds it
    }
  }
  if (failed > 0) ctx.logger.warn({ runs: failed }, 'runs left RUNNING by a stopped worker marked FAILED');
  return failed;
}
