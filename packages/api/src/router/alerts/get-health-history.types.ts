import { z } from 'zod';

export const ZGetHealthHistoryInput = z
  .object({
    integrationId: z.uuid(),
    /** How far back (default 24, at most a week). */
    hours: z.number().int().min(1).max(168).optional(),
    /** Bucket length (default 60); at most 500 buckets in all. */
    bucketMinutes: z.number().int().min(5).max(1440).optional(),
  })
  .refine((i) => ((i.hours ?? 24) * 60) / (i.bucketMinutes ?? 60) <= 500, {
    message: 'At most 500 buckets: use longer buckets or fewer hours.',
    path: ['bucketMinutes'],
  });
export type TGetHealthHistoryInput = z.infer<typeof ZGetHealthHistoryInput>;

const ZHealthBucket = z.object({
  start: z.date(),
  end: z.date(),
  runs: z.number().int(),
  completedRuns: z.number().int(),
  successRate: z.number().nullable(),
  recordsProcessed: z.number(),
  recordsFailed: z.number(),
  errorRate: z.number().nullable(),
  requests: z.number().int(),
  avgLatencyMs: z.number().nullable(),
  p50LatencyMs: z.number().nullable(),
});

export const ZGetHealthHistoryOutput = z.object({
  integrationId: z.string(),
  from: z.date(),
  to: z.date(),
  bucketMinutes: z.number().int(),
  buckets: z.array(ZHealthBucket),
});
export type TGetHealthHistoryOutput = z.infer<typeof ZGetHealthHistoryOutput>;
