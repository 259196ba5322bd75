import { AppError, pullResource, pushAll, type PullOutcome, type PushOutcome } from '@syncbridge/engine';
import { ZResourceSyncJob } from '@syncbridge/engine';
import type { JobHandler } from './context.ts';
import { withResourceLock } from '@syncbridge/engine';

/** How long a manual sync waits for a resource that is syncing elsewhere before it is retried. */
const LOCK_WAIT_MS = 30_000;

/**
 * "Sync now" for one resource: a full push (every row compared, unchanged rows cost nothing) or a
 * pull (from the cursor, or everything with `full`), under the resource's lock.
 */
export const runResourceSync: JobHandler = async (job, { engine, logger, kickOutbox }) => {
  const { resourceId, direction, trigger, full } = ZResourceSyncJob.parse(job.data);
  const resource = await engine.prisma.syncResource.findUnique({
    where: { id: resourceId },
    select: { id: true, name: true, direction: true },
  });
  if (!resource) {
    logger.warn({ resourceId }, 'resource no longer exists; nothing to sync');
    return;
  }
  const allowed = direction === 'push' ? resource.direction !== 'PULL' : resource.direction !== 'PUSH';
  if (!allowed) {
    // Thrown, not skipped: whoever asked should see the job fail with the reason.
    throw new AppError(
      'VALIDATION',
      `Resource ${resource.name} is ${resource.direction}; it cannot be synced as a ${direction}.`,
    );
  }
  const common = { trigger, jobType: 'MANUAL_SYNC' as const, signal: job.signal, queueJobId: job.id };
  let outcome: PushOutcome | PullOutcome;
  try {
    outcome = await withResourceLock<PushOutcome | PullOutcome>(
      engine.pool,
      resourceId,
      () =>
        direction === 'push'
          ? pushAll(engine, resourceId, common)
          : pullResource(engine, resourceId, { ...common, full }),
      { waitMs: LOCK_WAIT_MS, signal: job.signal },
    );
  } finally {
    if (resource.direction !== 'PULL') kickOutbox(resourceId);
  }
  logger.info({ resourceId, direction, ...outcome }, 'resource sync completed');
};
