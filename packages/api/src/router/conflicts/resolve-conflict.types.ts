import { z } from 'zod';

const ZFieldValues = z.record(z.string(), z.unknown());

/** The engine's AdminChoice: a whole side, a side per field, or custom values. */
export const ZConflictChoice = z.discriminatedUnion('choice', [
  z.object({ choice: z.literal('local') }),
  z.object({ choice: z.literal('external') }),
  z.object({ choice: z.literal('fields'), fields: z.record(z.string(), z.enum(['local', 'external'])) }),
  z.object({ choice: z.literal('custom'), values: ZFieldValues }),
]);

export const ZResolveConflictInput = z.object({
  conflictId: z.uuid(),
  choice: ZConflictChoice,
  /** Send the result to the external system too (default: when it differs from it). */
  push: z.boolean().optional(),
});
export type TResolveConflictInput = z.infer<typeof ZResolveConflictInput>;

export const ZResolveConflictOutput = z.object({ values: ZFieldValues, pushed: z.boolean() });
export type TResolveConflictOutput = z.infer<typeof ZResolveConflictOutput>;
