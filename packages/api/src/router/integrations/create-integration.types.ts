import { z } from 'zod';
import { AuthType, ConflictStrategy, IntegrationType, SyncDirection, SyncFrequency } from '@syncbridge/db';
import { ZIntegrationSummary } from './list-integrations.types.ts';
import { ZBaseUrl, ZConnectionTestResult } from './test-connection.types.ts';

/** Credentials are a JSON object whose shape depends on the connector; they are stored encrypted. */
export const ZCredentials = z.record(z.string(), z.unknown());

export const ZCreateIntegrationInput = z.object({
  name: z.string().trim().min(1).max(200),
  type: z.enum(IntegrationType),
  baseUrl: ZBaseUrl.nullish(),
  authType: z.enum(AuthType).optional(),
  direction: z.enum(SyncDirection).optional(),
  frequency: z.enum(SyncFrequency).optional(),
  conflictStrategy: z.enum(ConflictStrategy).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  credentials: ZCredentials.nullish(),
  /** Test the connection first (like integrations.testConnection) and save nothing if it fails. */
  testConnection: z.boolean().optional(),
});
export type TCreateIntegrationInput = z.infer<typeof ZCreateIntegrationInput>;

export const ZCreateIntegrationOutput = z.object({
  integration: ZIntegrationSummary,
  /** Shown once: configure it in the external system's webhook settings. Never returned again. */
  webhookSecret: z.string(),
  /** The connection test's result when `testConnection` was asked for, else null. */
  connection: ZConnectionTestResult.nullable(),
});
export type TCreateIntegrationOutput = z.infer<typeof ZCreateIntegrationOutput>;
