import { adminProcedure } from '../../trpc.ts';
import { createUser } from '../../services/users.ts';
import { ZCreateUserInput, ZCreateUserOutput } from './create-user.types.ts';

export const createUserRoute = adminProcedure
  .input(ZCreateUserInput)
  .output(ZCreateUserOutput)
  .mutation(({ ctx, input }) => createUser(ctx, { userId: ctx.user.id, ip: ctx.ip }, input));
