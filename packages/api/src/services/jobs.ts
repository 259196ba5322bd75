// Job executions for the admin app: live progress of every run, cancelling one, putting failed
// records back in line, and answering a pull paused by the mass-delete guard. Reads are plain
// queries; every change goes through an engine function (or a guarded update) and is audited.
import type { Database, JobStatus, JobType, Prisma } from '@syncbridge/db';
import { AppError, confirmPendingDeletes, QueueName, retryFailedItems, type JobSender } from '@syncbridge/engine';
import { recordAudit, type Actor } from './audit.ts';
import { afterPosition, decodeCursor, encodeCursor, NEWEST_FIRST } from './keyset-cursor.ts';
import { engineContextFor, type EngineDeps } from './syncs.ts';

type Db = Pick<Database, 'prisma' | 'pool'>;

const ACTIVE: JobStatus[] = ['PENDING', 'RUNNING'];
/** Mapping states `retryFailedItems` puts back in line. */
const RETRYABLE_MAPPING = new Set(['FAILED', 'ERROR', 'PENDING_SYNC']);
/** Queues a sync run can wait in; a pg-boss id names one job, so cancelling it in the others is a no-op. */
const RUN_QUEUES = [QueueName.syncResource, QueueName.syncIntegration, QueueName.syncWebhook];
export const DEFAULT_FAILED_ITEMS = 100;

const jobSelect = {
  id: true,
  integrationId: true,
  resourceId: true,
  jobType: true,
  status: true,
  direction: true,
  trigger: true,
  total: true,
  processed: true,
  succeeded: true,
  failed: true,
  conflicts: true,
  added: true,
  changed: true,
  removed: true,
  skipped: true,
  cancelRequested: true,
  errorMessage: true,
  startedAt: true,
  completedAt: true,
  durationMs: true,
  createdAt: true,
  integration: { select: { name: true } },
  resource: { select: { name: true } },
} as const satisfies Prisma.JobExecutionSelect;

type JobRow = Prisma.JobExecutionGetPayload<{ select: typeof jobSelect }>;

export interface JobProgress {
  /** 0–100 (one decimal); null while the total is unknown (nothing counted yet, or a pull still reading). */
  percent: number | null;
  /** Records processed per second since the run started (until it ended). */
  rate: number | null;
  /** Seconds left at the current rate; null when unknown or the run is over. */
  etaSeconds: number | null;
  /** Final duration, or the time elapsed so far for a run still going. */
  durationMs: number | null;
}

/**
 * Progress figures from the stored counters. A pull learns its total page by page (total grows with
 * processed), so while it runs neither its percent nor an ETA means anything: both are null.
 */
export function jobProgress(
  job: Pick<JobRow, 'status' | 'direction' | 'total' | 'processed' | 'startedAt' | 'completedAt' | 'durationMs'>,
  now: Date,
): JobProgress {
  const running = ACTIVE.includes(job.status);
  const knownTotal = job.total > 0 && !(running && job.direction === 'PULL');
  let percent: number | null = null;
  if (knownTotal) percent = Math.min(100, Math.round((job.processed / job.total) * 1000) / 10);
  else if (job.total === 0 && (job.status === 'COMPLETED' || job.status === 'PARTIAL')) percent = 100;
  const end = job.completedAt ?? (running ? now : null);
  const elapsedMs = job.startedAt && end ? Math.max(0, end.getTime() - job.startedAt.getTime()) : null;
  const rate = elapsedMs ? Math.round((job.processed / (elapsedMs / 1000)) * 100) / 100 : null;
  let etaSeconds: number | null = null;
  if (running && knownTotal && job.startedAt) {
    const left = Math.max(0, job.total - job.processed);
    if (left === 0) etaSeconds = 0;
    else if (rate && rate > 0) etaSeconds = Math.ceil(left / rate);
  }
  return { percent, rate, etaSeconds, durationMs: job.durationMs ?? elapsedMs };
}

export function toJobSummary(job: JobRow, now: Date) {
  const { integration, resource, ...rest } = job;
  return {
    ...rest,
    ...jobProgress(job, now),
    integrationName: integration?.name ?? null,
    resourceName: resource?.name ?? null,
  };
}
export type JobSummary = ReturnType<typeof toJobSummary>;

export interface JobFilter {
  integrationId?: string;
  resourceId?: string;
  status?: JobStatus | JobStatus[];
  jobType?: JobType;
  limit?: number;
  cursor?: string;
}

/** Executions newest first (keyset on created_at, id), with live progress. */
export async function listJobs(
  db: Db,
  filter: JobFilter,
  now = new Date(),
): Promise<{ items: JobSummary[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(1, filter.limit ?? 50), 200);
  const statuses = filter.status === undefined ? undefined : ([] as JobStatus[]).concat(filter.status);
  const where: Prisma.JobExecutionWhereInput = {
    integrationId: filter.integrationId,
    resourceId: filter.resourceId,
    jobType: filter.jobType,
    ...(statuses ? { status: { in: statuses } } : {}),
    ...(filter.cursor ? afterPosition(decodeCursor(filter.cursor)) : {}),
  };
  const rows = await db.prisma.jobExecution.findMany({
    where,
    select: jobSelect,
    orderBy: NEWEST_FIRST,
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => toJobSummary(row, now)),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

export interface FailedItem {
  logId: string;
  /** The local record's key. */
  recordId: string | null;
  externalId: string | null;
  /** FAILED (cannot succeed as sent) or RETRYING (transient; may since have run out of attempts). */
  logStatus: 'FAILED' | 'RETRYING';
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  createdAt: Date;
  mappingId: string | null;
  /** The record's state now (SYNCED once a later attempt worked). */
  mappingStatus: string | null;
  /** jobs.retryItem can put it back in line. */
  retryable: boolean;
}

/** Record-level failures a run logged (push items; pulls log theirs without a run id). */
async function failedItemsOf(db: Db, jobId: string, limit: number): Promise<{ items: FailedItem[]; total: number }> {
  const where = `l.job_execution_id = $1 and l.status in ('FAILED', 'RETRYING') and l.record_id is not null`;
  const [{ rows }, count] = await Promise.all([
    db.pool.query<Omit<FailedItem, 'retryable'>>(
      `select l.id as "logId", l.record_id as "recordId", l.external_id as "externalId", l.status::text as "logStatus",
              l.error_code as "errorCode", l.error_message as "errorMessage", l.http_status as "httpStatus",
              l.created_at as "createdAt", m.id as "mappingId", m.status::text as "mappingStatus"
         from sync_logs l
         left join integration_mappings m on m.resource_id = l.resource_id and m.internal_id = l.record_id
        where ${where}
        order by l.created_at desc, l.id desc
        limit $2`,
      [jobId, limit],
    ),
    db.pool.query<{ n: number }>(`select count(*)::int as n from sync_logs l where ${where}`, [jobId]),
  ]);
  return {
    items: rows.map((row) => ({
      ...row,
      retryable: row.mappingStatus !== null && RETRYABLE_MAPPING.has(row.mappingStatus),
    })),
    total: count.rows[0]?.n ?? 0,
  };
}

export async function getJob(
  db: Db,
  request: { id: string; failedLimit?: number },
  now = new Date(),
): Promise<JobSummary & { failedItems: FailedItem[]; failedItemsTotal: number }> {
  const job = await db.prisma.jobExecution.findUnique({ where: { id: request.id }, select: jobSelect });
  if (!job) throw new AppError('NOT_FOUND', 'Job not found.');
  const failed = await failedItemsOf(db, job.id, request.failedLimit ?? DEFAULT_FAILED_ITEMS);
  return { ...toJobSummary(job, now), failedItems: failed.items, failedItemsTotal: failed.total };
}

/** Cancels a waiting pg-boss job in whichever run queue holds it; true when one was withdrawn. */
async function withdrawQueued(
  db: { logger: EngineDeps['logger'] },
  cancel: NonNullable<JobSender['cancel']>,
  queueJobId: string,
): Promise<boolean> {
  let withdrawn = false;
  for (const queue of RUN_QUEUES) {
    try {
      const response = await cancel(queue, queueJobId);
      // pg-boss answers { requested, affected } (its typings leave the shape empty).
      if (Number((response as { affected?: unknown }).affected ?? 0) > 0) withdrawn = true;
    } catch (error) {
      db.logger.warn({ err: error, queue, queueJobId }, 'could not withdraw the queued job');
    }
  }
  return withdrawn;
}

export interface CancelResult {
  id: string;
  status: JobStatus;
  cancelRequested: boolean;
  /** A queued (not started) run's pg-boss job was withdrawn too. */
  queueCancelled: boolean;
}

/**
 * A run not started yet is cancelled at once (and its queued job withdrawn); a running one is asked
 * to stop: the engine checks the flag between batches and ends the run as CANCELLED.
 */
export async function cancelJob(
  db: Db & { logger: EngineDeps['logger'] },
  sendJob: JobSender | null,
  actor: Actor,
  id: string,
): Promise<CancelResult> {
  const job = await db.prisma.jobExecution.findUnique({
    where: { id },
    select: { id: true, status: true, queueJobId: true },
  });
  if (!job) throw new AppError('NOT_FOUND', 'Job not found.');
  if (job.status === 'PENDING_CONFIRMATION')
    throw new AppError('CONFLICT', 'This run waits for a mass-delete confirmation: reject it instead of cancelling.');
  if (!ACTIVE.includes(job.status)) throw new AppError('CONFLICT', `This run has already ended (${job.status}).`);

  let result: CancelResult | null = null;
  if (job.status === 'PENDING') {
    const now = new Date();
    // Guarded on the status: a worker starting it meanwhile turns this into the running case below.
    const { count } = await db.prisma.jobExecution.updateMany({
      where: { id, status: 'PENDING' },
      data: {
        status: 'CANCELLED',
        cancelRequested: true,
        completedAt: now,
        errorMessage: 'Cancelled before it started.',
      },
    });
    if (count === 1) {
      result = { id, status: 'CANCELLED', cancelRequested: true, queueCancelled: false };
      if (job.queueJobId && sendJob?.cancel)
        result.queueCancelled = await withdrawQueued(db, sendJob.cancel.bind(sendJob), job.queueJobId);
    }
  }
  if (!result) {
    const { count } = await db.prisma.jobExecution.updateMany({
      where: { id, status: { in: ACTIVE } },
      data: { cancelRequested: true },
    });
    if (count === 0) throw new AppError('CONFLICT', 'This run ended before it could be cancelled.');
    result = { id, status: 'RUNNING', cancelRequested: true, queueCancelled: false };
  }
  await recordAudit(db.prisma, actor, {
    action: 'job.cancel',
    entityType: 'job_execution',
    entityId: id,
    before: { status: job.status },
    after: result,
  });
  return result;
}

/** One failed record back in the outbox now; the drainer (woken by NOTIFY) pushes it. */
export async function retryItem(
  deps: EngineDeps,
  actor: Actor,
  request: { mappingId: string },
): Promise<{ requeued: number }> {
  const mapping = await deps.prisma.integrationMapping.findUnique({
    where: { id: request.mappingId },
    select: { id: true, resourceId: true, internalId: true, status: true, attempts: true, lastError: true },
  });
  if (!mapping) throw new AppError('NOT_FOUND', 'Record mapping not found.');
  if (!RETRYABLE_MAPPING.has(mapping.status))
    throw new AppError('CONFLICT', `This record is not waiting for a retry (${mapping.status}).`);
  const requeued = await retryFailedItems(engineContextFor(deps), mapping.resourceId, [mapping.internalId]);
  await recordAudit(deps.prisma, actor, {
    action: 'job.retry_item',
    entityType: 'integration_mapping',
    entityId: mapping.id,
    before: { status: mapping.status, attempts: mapping.attempts, lastError: mapping.lastError },
    after: { status: 'PENDING_SYNC', requeued },
  });
  return { requeued };
}

/** Every record a run logged as failed (and still not synced) back in the outbox. */
export async function retryRun(
  deps: EngineDeps,
  actor: Actor,
  request: { jobId: string },
): Promise<{ items: number; requeued: number }> {
  const job = await deps.prisma.jobExecution.findUnique({ where: { id: request.jobId }, select: { id: true } });
  if (!job) throw new AppError('NOT_FOUND', 'Job not found.');
  const { rows } = await deps.pool.query<{ resource_id: string; keys: string[] }>(
    `select resource_id, array_agg(distinct record_id) as keys
       from sync_logs
      where job_execution_id = $1 and status in ('FAILED', 'RETRYING') and record_id is not null
        and resource_id is not null and direction = 'PUSH'
      group by resource_id`,
    [job.id],
  );
  const ctx = engineContextFor(deps);
  let requeued = 0;
  let items = 0;
  for (const row of rows) {
    items += row.keys.length;
    requeued += await retryFailedItems(ctx, row.resource_id, row.keys);
  }
  await recordAudit(deps.prisma, actor, {
    action: 'job.retry_run',
    entityType: 'job_execution',
    entityId: job.id,
    after: { items, requeued },
  });
  return { items, requeued };
}

export interface PendingMassDelete {
  jobId: string;
  integrationId: string | null;
  integrationName: string | null;
  resourceId: string;
  resourceName: string;
  /** Records the confirmation would remove. */
  pendingDeletes: number;
  /** Records mapped when the run compared. */
  mapped: number | null;
  /** Up to 20 of the external ids that disappeared. */
  sampleExternalIds: string[];
  message: string | null;
  createdAt: Date;
}

/** Pulls paused by the mass-delete guard, newest first (at most one per resource: newer ones supersede). */
export async function listPendingMassDeletes(db: Db): Promise<PendingMassDelete[]> {
  const { rows } = await db.pool.query<PendingMassDelete>(
    `select j.id as "jobId", j.integration_id as "integrationId", i.name as "integrationName",
            r.id as "resourceId", r.name as "resourceName",
            coalesce(jsonb_array_length(j.error_details -> 'pendingDeletes'), 0)::int as "pendingDeletes",
            (j.error_details ->> 'mapped')::int as "mapped",
            coalesce(jsonb_path_query_array(j.error_details -> 'pendingDeletes', '$[0 to 19]'), '[]'::jsonb) as "sampleExternalIds",
            j.error_message as "message", j.created_at as "createdAt"
       from job_executions j
       join sync_resources r on r.id = j.resource_id
       left join integrations i on i.id = j.integration_id
      where j.status = 'PENDING_CONFIRMATION'
      order by j.created_at desc, j.id desc`,
  );
  return rows;
}

/**
 * An admin's answer to the pull of `resourceId` waiting for a mass-delete confirmation: confirm
 * applies the held-back deletes (per the resource's delete policy), reject deletes nothing. With
 * `jobId`, the answer only counts for that run (not a newer one that superseded what was reviewed).
 */
export async function confirmMassDelete(
  deps: EngineDeps,
  actor: Actor,
  request: { resourceId: string; confirm: boolean; jobId?: string },
): Promise<{ jobId: string; removed: number; status: JobStatus }> {
  const resource = await deps.prisma.syncResource.findUnique({
    where: { id: request.resourceId },
    select: { id: true },
  });
  if (!resource) throw new AppError('NOT_FOUND', 'Resource not found.');
  const { rows } = await deps.pool.query<{ id: string; pending: number }>(
    `select id, coalesce(jsonb_array_length(error_details -> 'pendingDeletes'), 0)::int as pending
       from job_executions where resource_id = $1 and status = 'PENDING_CONFIRMATION'
      order by created_at desc, id desc limit 1`,
    [resource.id],
  );
  const pending = rows[0];
  if (!pending) throw new AppError('PRECONDITION_FAILED', 'No run of this resource waits for a confirmation.');
  if (request.jobId && request.jobId !== pending.id)
    throw new AppError('CONFLICT', 'A newer run replaced the one reviewed; review its deletions instead.');
  const removed = await confirmPendingDeletes(engineContextFor(deps), pending.id, request.confirm);
  const status: JobStatus = request.confirm ? 'COMPLETED' : 'CANCELLED';
  await recordAudit(deps.prisma, actor, {
    action: request.confirm ? 'job.mass_delete.confirm' : 'job.mass_delete.reject',
    entityType: 'job_execution',
    entityId: pending.id,
    before: { status: 'PENDING_CONFIRMATION', pendingDeletes: pending.pending, resourceId: resource.id },
    after: { status, removed },
  });
  return { jobId: pending.id, removed, status };
}
