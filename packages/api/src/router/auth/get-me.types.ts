import { z } from 'zod';
import { ZAuthUser } from './sign-in.types.ts';

export const ZGetMeOutput = z.object({
  user: ZAuthUser.nullable(),
  /** The session's CSRF token (null without a cookie session). */
  csrfToken: z.string().nullable(),
});
export type TGetMeOutput = z.infer<typeof ZGetMeOutput>;
