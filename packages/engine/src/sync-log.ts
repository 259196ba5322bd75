import type { SyncDirection, SyncOperation } from '@syncbridge/db';
import type { EngineContext } from './context.ts';
import type { ItemFailure } from './delivery.ts';
import type { LoadedResource } from './resource-config.ts';

export async function writeBatchLog(
  ctx: EngineContext,
  loaded: LoadedResource,
  jobId: string | null,
  entry: {
    operation: SyncOperation;
    direction: SyncDirection;
    processed: number;
    succeeded: number;
    failed: number;
    durationMs: number;
  },
): Promise<void> {
  await ctx.prisma.syncLog.create({
    data: {
      integrationId: loaded.integration.id,
      resourceId: loaded.resource.id,
      jobExecutionId: jobId,
      operation: entry.operation,
      direction: entry.direction,
      resourceType: loaded.resource.resourceType,
      status: entry.failed === 0 ? 'SUCCESS' : entry.succeeded > 0 ? 'PARTIAL_SUCCESS' : 'FAILED',
      recordsProcessed: entry.processed,
      recordsSucceeded: entry.succeeded,
      recordsFailed: entry.failed,
      durationMs: entry.durationMs,
    },
  });
}

/** One FAILED log row per failed record, with its error, so the admin sees what and why. */
export async function writeItemFailureLogs(
  ctx: EngineContext,
  loaded: LoadedResource,
  jobId: string | null,
  failures: ItemFailure[],
): Promise<void> {
  if (failures.length === 0) return;
  await ctx.prisma.syncLog.createMany({
    data: failures.map((f) => ({
      integrationId: loaded.integration.id,
      resourceId: loaded.resource.id,
      jobExecutionId: jobId,
      operation: 'UPDATE' as const,
      direction: 'PUSH' as const,
      resourceType: loaded.resource.resourceType,
      recordId: f.key,
      status: f.error.kind === 'invalid' || f.error.kind === 'auth' ? ('FAILED' as const) : ('RETRYING' as const),
      recordsProcessed: 1,
      recordsFailed: 1,
      errorCode: f.error.kind,
      errorMessage: f.error.message.slice(0, 1000),
      httpStatus: f.error.status ?? null,
    })),
  });
}
