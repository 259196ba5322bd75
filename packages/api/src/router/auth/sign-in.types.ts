import { z } from 'zod';
import { UserRole } from '@syncbridge/db';

export const ZSignInInput = z.object({
  // Not format-checked here: a sign-in only needs to match (case- and space-insensitively).
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});
export type TSignInInput = z.infer<typeof ZSignInInput>;

export const ZAuthUser = z.object({ id: z.string(), email: z.string(), role: z.enum(UserRole) });

export const ZSignInOutput = z.object({
  user: ZAuthUser,
  /** Echo it in the `x-csrf-token` header on mutations (also set as the readable `sb_csrf` cookie). */
  csrfToken: z.string(),
});
export type TSignInOutput = z.infer<typeof ZSignInOutput>;
