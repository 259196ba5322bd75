import { z } from 'zod';
import { AlertSeverity, AlertStatus } from '@syncbridge/db';

export const MAX_ALERT_PAGE_SIZE = 200;

export const ZListAlertsInput = z
  .object({
    status: z.enum(AlertStatus).optional(),
    severity: z.enum(AlertSeverity).optional(),
    integrationId: z.uuid().optional(),
    limit: z.number().int().min(1).max(MAX_ALERT_PAGE_SIZE).default(50),
    /** `nextCursor` of the previous page (keyset: newest first). */
    cursor: z.string().min(1).max(500).nullish(),
  })
  .prefault({});
export type TListAlertsInput = z.infer<typeof ZListAlertsInput>;

export const ZAlertItem = z.object({
  id: z.string(),
  integrationId: z.string().nullable(),
  integrationName: z.string().nullable(),
  /** HIGH_ERROR_RATE, INTEGRATION_DOWN, SYNC_LAG, PENDING_CONFLICTS, SYNC_FAILED, SCHEMA_DRIFT, … */
  rule: z.string(),
  severity: z.enum(AlertSeverity),
  status: z.enum(AlertStatus),
  title: z.string(),
  message: z.string(),
  /** Rule-specific facts, plus `notification` (which channels got it) once it was sent. */
  details: z.unknown(),
  acknowledgedAt: z.date().nullable(),
  acknowledgedBy: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }).nullable(),
  createdAt: z.date(),
});
export type TAlertItem = z.infer<typeof ZAlertItem>;

export const ZListAlertsOutput = z.object({
  items: z.array(ZAlertItem),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TListAlertsOutput = z.infer<typeof ZListAlertsOutput>;
