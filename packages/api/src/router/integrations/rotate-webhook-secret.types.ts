import { z } from 'zod';
import { ZIntegrationSummary } from './list-integrations.types.ts';

export const ZRotateWebhookSecretInput = z.object({ id: z.uuid() });
export type TRotateWebhookSecretInput = z.infer<typeof ZRotateWebhookSecretInput>;

export const ZRotateWebhookSecretOutput = z.object({
  integration: ZIntegrationSummary,
  /** Shown once: put it in the external system's webhook settings. The old secret stops working now. */
  webhookSecret: z.string(),
});
export type TRotateWebhookSecretOutput = z.infer<typeof ZRotateWebhookSecretOutput>;
