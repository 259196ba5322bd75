import { z } from 'zod';
import { UserRole } from '@syncbridge/db';

export const ZCreateUserInput = z.object({
  email: z.string().trim().max(320).pipe(z.email()),
  name: z.string().trim().max(200).nullish(),
  role: z.enum(UserRole),
  password: z.string().min(12).max(1024),
});
export type TCreateUserInput = z.infer<typeof ZCreateUserInput>;

export const ZUserSummary = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(UserRole),
  disabled: z.boolean(),
  lastLoginAt: z.date().nullable(),
  createdAt: z.date(),
});
export type TUserSummary = z.infer<typeof ZUserSummary>;

export const ZCreateUserOutput = ZUserSummary;
