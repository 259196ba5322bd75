import { z } from 'zod';
import { ConflictStrategy, SyncFrequency } from '@syncbridge/db';
import { ZCredentials } from './create-integration.types.ts';
import { ZIntegrationSummary } from './list-integrations.types.ts';

export const ZUpdateIntegrationInput = z.object({
  id: z.uuid(),
  /** A new name: trimmed, 1–120 characters, not used by another integration (case-insensitive). */
  name: z.string().trim().min(1).max(120).optional(),
  /** Pause or resume; other statuses are set by the engine. */
  status: z.enum(['ACTIVE', 'PAUSED']).optional(),
  frequency: z.enum(SyncFrequency).optional(),
  conflictStrategy: z.enum(ConflictStrategy).optional(),
  /** Replaces the stored credentials (write-only). */
  credentials: ZCredentials.optional(),
});
export type TUpdateIntegrationInput = z.infer<typeof ZUpdateIntegrationInput>;

export const ZUpdateIntegrationOutput = ZIntegrationSummary;
export type TUpdateIntegrationOutput = z.infer<typeof ZUpdateIntegrationOutput>;
