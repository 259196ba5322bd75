import { z } from 'zod';

export const MAX_BULK_RESOLVE = 200;

export const ZBulkResolveConflictsInput = z.object({
  ids: z.array(z.uuid()).min(1).max(MAX_BULK_RESOLVE),
  /** Keep the whole local or the whole external version of each record. */
  choice: z.enum(['local', 'external']),
  /** Send the result to the external system too (default: when it differs from it). */
  push: z.boolean().optional(),
});
export type TBulkResolveConflictsInput = z.infer<typeof ZBulkResolveConflictsInput>;

export const ZBulkResolveConflictsOutput = z.object({
  /** Ids resolved by this call. */
  resolved: z.array(z.string()),
  /** Ids left as they were, each with the reason (already resolved, not found, …). */
  failed: z.array(z.object({ id: z.string(), message: z.string() })),
});
export type TBulkResolveConflictsOutput = z.infer<typeof ZBulkResolveConflictsOutput>;
