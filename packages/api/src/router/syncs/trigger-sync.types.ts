import { z } from 'zod';

export const ZTriggerSyncInput = z.union([
  z.object({ integrationId: z.uuid(), full: z.boolean().optional() }).strict(),
  z.object({ resourceId: z.uuid(), direction: z.enum(['push', 'pull']), full: z.boolean().optional() }).strict(),
]);
export type TTriggerSyncInput = z.infer<typeof ZTriggerSyncInput>;

/** `queued: false` when an identical request was already waiting (it absorbs this one). */
export const ZTriggerSyncOutput = z.object({ queued: z.boolean(), jobId: z.string().nullable() });
export type TTriggerSyncOutput = z.infer<typeof ZTriggerSyncOutput>;
