import { z } from 'zod';
import {
  AuthType,
  ConflictStrategy,
  IntegrationStatus,
  IntegrationType,
  SyncDirection,
  SyncFrequency,
} from '@syncbridge/db';

export const ZListIntegrationsInput = z
  .object({
    status: z.enum(IntegrationStatus).optional(),
    type: z.enum(IntegrationType).optional(),
  })
  .optional();

export type TListIntegrationsInput = z.infer<typeof ZListIntegrationsInput>;

/** What clients see of an integration: no credentials, webhook secrets or key ids. */
export const ZIntegrationSummary = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(IntegrationType),
  status: z.enum(IntegrationStatus),
  baseUrl: z.string().nullable(),
  authType: z.enum(AuthType),
  direction: z.enum(SyncDirection),
  frequency: z.enum(SyncFrequency),
  conflictStrategy: z.enum(ConflictStrategy),
  pollingEnabled: z.boolean(),
  consecutiveFailures: z.number().int(),
  lastSyncAt: z.date().nullable(),
  lastSuccessAt: z.date().nullable(),
  lastErrorAt: z.date().nullable(),
  lastErrorMessage: z.string().nullable(),
  nextSyncAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type TIntegrationSummary = z.infer<typeof ZIntegrationSummary>;

/** A list row: the summary plus its health score (0–100, last 24 h). */
export const ZIntegrationListItem = ZIntegrationSummary.extend({
  healthScore: z.number().min(0).max(100).nullable(),
});

export type TIntegrationListItem = z.infer<typeof ZIntegrationListItem>;

export const ZListIntegrationsOutput = z.object({
  items: z.array(ZIntegrationListItem),
});

export type TListIntegrationsOutput = z.infer<typeof ZListIntegrationsOutput>;
