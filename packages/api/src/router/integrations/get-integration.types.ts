import { z } from 'zod';
import { ZIntegrationSummary } from './list-integrations.types.ts';

export const ZGetIntegrationInput = z.object({ id: z.uuid() });
export type TGetIntegrationInput = z.infer<typeof ZGetIntegrationInput>;

export const ZGetIntegrationOutput = ZIntegrationSummary;
export type TGetIntegrationOutput = z.infer<typeof ZGetIntegrationOutput>;
