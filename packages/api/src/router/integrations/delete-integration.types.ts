import { z } from 'zod';

export const ZDeleteIntegrationInput = z.object({ id: z.uuid() });
export type TDeleteIntegrationInput = z.infer<typeof ZDeleteIntegrationInput>;

export const ZDeleteIntegrationOutput = z.object({
  removed: z.object({
    resources: z.number().int(),
    mappings: z.number().int(),
    syncLogs: z.number().int(),
    conflicts: z.number().int(),
  }),
});
export type TDeleteIntegrationOutput = z.infer<typeof ZDeleteIntegrationOutput>;
