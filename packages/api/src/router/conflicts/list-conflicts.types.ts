import { z } from 'zod';
import { ConflictStatus, ConflictStrategy } from '@syncbridge/db';

export const MAX_CONFLICT_PAGE_SIZE = 200;

export const ZListConflictsInput = z
  .object({
    integrationId: z.uuid().optional(),
    /** PENDING (the review queue) unless asked for the history: RESOLVED, AUTO_RESOLVED, IGNORED. */
    status: z.enum(ConflictStatus).default('PENDING'),
    resourceType: z.string().trim().min(1).max(100).optional(),
    limit: z.number().int().min(1).max(MAX_CONFLICT_PAGE_SIZE).default(50),
    /** `nextCursor` of the previous page (newest first). */
    cursor: z.string().min(1).max(500).optional(),
  })
  .prefault({});
export type TListConflictsInput = z.infer<typeof ZListConflictsInput>;

export const ZConflictSummary = z.object({
  id: z.string(),
  integrationId: z.string(),
  integrationName: z.string(),
  resourceId: z.string().nullable(),
  resourceType: z.string(),
  /** The local record's key and the external record's id. */
  internalId: z.string(),
  externalId: z.string(),
  /** Fields both sides changed to different values. */
  conflictedFields: z.array(z.string()),
  conflictReason: z.string().nullable(),
  status: z.enum(ConflictStatus),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  resolvedBy: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }).nullable(),
  /** MANUAL_REVIEW when a person resolved it. */
  resolutionStrategy: z.enum(ConflictStrategy).nullable(),
  /** What that person chose (from the audit trail); null while pending. */
  choice: z.enum(['local', 'external', 'fields', 'custom']).nullable(),
});
export type TConflictSummary = z.infer<typeof ZConflictSummary>;

export const ZListConflictsOutput = z.object({
  items: z.array(ZConflictSummary),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});
export type TListConflictsOutput = z.infer<typeof ZListConflictsOutput>;
