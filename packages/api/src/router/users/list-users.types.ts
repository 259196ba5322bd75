import { z } from 'zod';
import { ZUserSummary } from './create-user.types.ts';

export const ZListUsersOutput = z.object({ items: z.array(ZUserSummary) });
export type TListUsersOutput = z.infer<typeof ZListUsersOutput>;
