import { z } from 'zod';
import { IntegrationStatus } from '@syncbridge/db';

export const ZGetHealthInput = z
  .object({
    integrationId: z.uuid().optional(),
    /** The window the rates and times are measured over (default 24 h). */
    windowHours: z.number().int().min(1).max(168).optional(),
  })
  .prefault({});
export type TGetHealthInput = z.infer<typeof ZGetHealthInput>;

const ZHealthComponent = z.object({
  /** The measured input: a rate (0–1), milliseconds, or null when there was nothing to measure. */
  value: z.number().nullable(),
  /** 0–100. */
  score: z.number(),
  weight: z.number(),
  status: z.enum(['PASS', 'WARN', 'FAIL']),
});

export const ZIntegrationHealth = z.object({
  integrationId: z.string(),
  name: z.string(),
  integrationStatus: z.enum(IntegrationStatus),
  /** 0–100: 0.4 success rate + 0.2 response time + 0.3 error rate + 0.1 freshness (F025). */
  score: z.number(),
  status: z.enum(['HEALTHY', 'DEGRADED', 'UNHEALTHY']),
  components: z.object({
    successRate: ZHealthComponent,
    responseTime: ZHealthComponent,
    errorRate: ZHealthComponent,
    /** Value: milliseconds since the last successful sync. */
    freshness: ZHealthComponent,
  }),
  metrics: z.object({
    runs: z.number().int(),
    completedRuns: z.number().int(),
    recordsProcessed: z.number(),
    recordsFailed: z.number(),
    requests: z.number().int(),
    avgResponseMs: z.number().nullable(),
    pendingConflicts: z.number().int(),
    consecutiveFailures: z.number().int(),
    lastSyncAt: z.date().nullable(),
    lastSuccessAt: z.date().nullable(),
  }),
  windowMs: z.number().int(),
  computedAt: z.date(),
});
export type TIntegrationHealth = z.infer<typeof ZIntegrationHealth>;

export const ZGetHealthOutput = z.object({ items: z.array(ZIntegrationHealth) });
export type TGetHealthOutput = z.infer<typeof ZGetHealthOutput>;
