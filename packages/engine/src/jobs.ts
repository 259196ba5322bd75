// JobExecution bookkeeping: every run records live progress (total, processed, succeeded, failed,
// conflicts) so the admin app can show it while the run is going.
import type { Connector } from '@syncbridge/connectors';
import type { JobType, Prisma } from '@syncbridge/db';
import type { EngineContext } from './context.ts';
import { nowOf } from './context.ts';
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
  const job = await ctx.prisma.jobExecution.findUnique({ where: { id: jobId }, select: { startedAt: true } });
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
}

/** True when an admin asked to cancel this run. */
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
    where: { resourceId, jobType: 'CHANGE_PUSH', createdAt: { gte: since } },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  });
  if (open) {
    await ctx.prisma.jobExecution.update({ where: { id: open.id }, data: { status: 'RUNNING', completedAt: null } });
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
