import { z } from 'zod';
import { JobStatus, JobType, SyncDirection } from '@syncbridge/db';

export const MAX_JOB_PAGE_SIZE = 200;

const ZJobStatus = z.enum(JobStatus);

export const ZListJobsInput = z
  .object({
    integrationId: z.uuid().optional(),
    resourceId: z.uuid().optional(),
    /** One status or several (any of them). */
    status: z.union([ZJobStatus, z.array(ZJobStatus).min(1).max(Object.keys(JobStatus).length)]).optional(),
    jobType: z.enum(JobType).optional(),
    limit: z.number().int().min(1).max(MAX_JOB_PAGE_SIZE).default(50),
    /** `nextCursor` of the previous page (keyset: newest first). */
    cursor: z.string().min(1).max(500).optional(),
  })
  .prefault({});
export type TListJobsInput = z.infer<typeof ZListJobsInput>;

/** One run with its live progress; no error details (they can hold thousands of ids). */
export const ZJobSummary = z.object({
  id: z.string(),
  integrationId: z.string().nullable(),
  integrationName: z.string().nullable(),
  resourceId: z.string().nullable(),
  resourceName: z.string().nullable(),
  jobType: z.enum(JobType),
  status: ZJobStatus,
  direction: z.enum(SyncDirection).nullable(),
  /** What started it: schedule, webhook, change, manual:<userId>, retry. */
  trigger: z.string().nullable(),
  total: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  conflicts: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  skipped: z.number().int(),
  /** 0–100; null while the total is unknown (nothing counted yet, or a pull still reading). */
  percent: z.number().nullable(),
  /** Records per second since the run started. */
  rate: z.number().nullable(),
  /** Seconds left at the current rate; null when unknown or over. */
  etaSeconds: z.number().int().nullable(),
  cancelRequested: z.boolean(),
  errorMessage: z.string().nullable(),
  startedAt: z.date().nullable(),
  completedAt: z.date().nullable(),
  /** Final duration, or the time elapsed so far while running. */
  durationMs: z.number().int().nullable(),
  createdAt: z.date(),
});
export type TJobSummary = z.infer<typeof ZJobSummary>;

export const ZListJobsOutput = z.object({
  items: z.array(ZJobSummary),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TListJobsOutput = z.infer<typeof ZListJobsOutput>;
