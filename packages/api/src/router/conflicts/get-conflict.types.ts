import { z } from 'zod';
import { ZConflictSummary } from './list-conflicts.types.ts';

export const ZGetConflictInput = z.object({ id: z.uuid() });
export type TGetConflictInput = z.infer<typeof ZGetConflictInput>;

const ZFieldValues = z.record(z.string(), z.unknown());

export const ZConflictField = z.object({
  field: z.string(),
  local: z.unknown(),
  external: z.unknown(),
  /** Present when the conflict stored the base both sides agreed on at the last sync. */
  base: z.unknown().optional(),
  /** Local and external values differ. */
  differs: z.boolean(),
  /** Changed on both sides since the base (one of conflictedFields). */
  conflicted: z.boolean(),
});

export const ZGetConflictOutput = ZConflictSummary.extend({
  localData: ZFieldValues,
  externalData: ZFieldValues,
  baseData: ZFieldValues.nullable(),
  /** The values written when it was resolved. */
  resolvedData: ZFieldValues.nullable(),
  fields: z.array(ZConflictField),
});
export type TGetConflictOutput = z.infer<typeof ZGetConflictOutput>;
