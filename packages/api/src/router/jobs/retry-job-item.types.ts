import { z } from 'zod';

export const ZRetryJobItemInput = z.object({ mappingId: z.uuid() });
export type TRetryJobItemInput = z.infer<typeof ZRetryJobItemInput>;

export const ZRetryJobItemOutput = z.object({ requeued: z.number().int() });
export type TRetryJobItemOutput = z.infer<typeof ZRetryJobItemOutput>;
