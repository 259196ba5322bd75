import { z } from 'zod';

export const ZSignOutOutput = z.object({ signedOut: z.literal(true) });
export type TSignOutOutput = z.infer<typeof ZSignOutOutput>;
