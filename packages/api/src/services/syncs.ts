// Operations a staff member starts by hand: "sync now", "retry failed", resolving a conflict.
// They call the same engine functions the worker uses and record who asked.
import type { Database } from '@syncbridge/db';
import {
  AppError,
  applyConflictResolution,
  createConnectorProvider,
  enqueueIntegrationSync,
  enqueueResourceSync,
  retryFailedItems,
  unlimited,
  type AdminChoice,
  type EngineContext,
  type EnqueueResult,
  type JobSender,
  type KeyRing,
  type Logger,
} from '@syncbridge/engine';
import { recordAudit, type Actor } from './audit.ts';

type Db = Pick<Database, 'prisma' | 'pool'>;

export interface EngineDeps extends Db {
  logger: Logger;
  keyRing: KeyRing | null;
}

/** An engine context for work done inside an API request (no rate limiter: nothing calls out here). */
export function engineContextFor(deps: EngineDeps): EngineContext {
  return {
    pool: deps.pool,
    prisma: deps.prisma,
    logger: deps.logger,
    connectors: createConnectorProvider({ pool: deps.pool, keyRing: deps.keyRing }),
    limiter: unlimited,
  };
}

export type SyncRequest =
  { integrationId: string; full?: boolean } | { resourceId: string; direction: 'push' | 'pull'; full?: boolean };

export async function triggerSync(
  db: Db,
  sendJob: JobSender | null,
  actor: Actor,
  request: SyncRequest,
): Promise<EnqueueResult> {
  if (!sendJob) throw new AppError('PRECONDITION_FAILED', 'This server cannot queue jobs.');
  const trigger = `manual:${actor.userId ?? 'system'}`;
  let result: EnqueueResult;
  let entity: { type: string; id: string };
  if ('integrationId' in request) {
    const integration = await db.prisma.integration.findUnique({
      where: { id: request.integrationId },
      select: { id: true },
    });
    if (!integration) throw new AppError('NOT_FOUND', 'Integration not found.');
    result = await enqueueIntegrationSync(sendJob, { integrationId: integration.id, trigger, full: request.full });
    entity = { type: 'integration', id: integration.id };
  } else {
    const resource = await db.prisma.syncResource.findUnique({
      where: { id: request.resourceId },
      select: { id: true },
    });
    if (!resource) throw new AppError('NOT_FOUND', 'Resource not found.');
    result = await enqueueResourceSync(sendJob, {
      resourceId: resource.id,
      direction: request.direction,
      trigger,
      full: request.full,
    });
    entity = { type: 'sync_resource', id: resource.id };
  }
  await recordAudit(db.prisma, actor, {
    action: 'sync.trigger',
    entityType: entity.type,
    entityId: entity.id,
    after: { ...request, ...result },
  });
  return result;
}

export async function retryFailed(
  deps: EngineDeps,
  actor: Actor,
  request: { resourceId: string; internalIds?: string[] },
): Promise<{ requeued: number }> {
  const resource = await deps.prisma.syncResource.findUnique({
    where: { id: request.resourceId },
    select: { id: true },
  });
  if (!resource) throw new AppError('NOT_FOUND', 'Resource not found.');
  const requeued = await retryFailedItems(engineContextFor(deps), resource.id, request.internalIds);
  await recordAudit(deps.prisma, actor, {
    action: 'sync.retry_failed',
    entityType: 'sync_resource',
    entityId: resource.id,
    after: { internalIds: request.internalIds ?? null, requeued },
  });
  return { requeued };
}

export async function resolveConflict(
  deps: EngineDeps,
  actor: Actor,
  request: { conflictId: string; choice: AdminChoice; push?: boolean },
) {
  const outcome = await applyConflictResolution(engineContextFor(deps), request.conflictId, request.choice, {
    push: request.push,
    userId: actor.userId,
  });
  await recordAudit(deps.prisma, actor, {
    action: 'conflict.resolve',
    entityType: 'conflict',
    entityId: request.conflictId,
    before: { status: 'PENDING' },
    after: { status: 'RESOLVED', choice: request.choice, pushed: outcome.pushed },
  });
  return outcome;
}
