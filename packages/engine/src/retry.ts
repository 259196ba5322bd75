// An admin's "retry": failed records (all of a resource, or chosen ones) get their attempts back
// and go through the outbox again right away.
import type { EngineContext } from './context.ts';
import { promoteDueRetries } from './schedule.ts';

export async function retryFailedItems(
  ctx: EngineContext,
  resourceId: string,
  internalIds?: string[],
): Promise<number> {
  const { rowCount } = await ctx.pool.query(
    `update integration_mappings
        set status = 'PENDING_SYNC', attempts = 0, next_retry_at = now(), updated_at = now()
      where resource_id = $1 and status in ('FAILED', 'ERROR', 'PENDING_SYNC')
        and ($2::text[] is null or internal_id = any($2::text[]))`,
    [resourceId, internalIds ?? null],
  );
  if (rowCount) await promoteDueRetries(ctx);
  return rowCount ?? 0;
}
