import { adminProcedure } from '../../trpc.ts';
import { createResource } from '../../services/resources.ts';
import { ZCreateResourceInput, ZCreateResourceOutput } from './create-resource.types.ts';
import { withFieldErrors } from './field-errors.ts';

export const createResourceRoute = adminProcedure
  .input(ZCreateResourceInput)
  .output(ZCreateResourceOutput)
  .mutation(({ ctx, input }) => withFieldErrors(() => createResource(ctx, { userId: ctx.user.id, ip: ctx.ip }, input)));
