import { z } from 'zod';

export const ZCheckHealthOutput = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.boolean(),
  timestamp: z.date(),
});

export type TCheckHealthOutput = z.infer<typeof ZCheckHealthOutput>;
