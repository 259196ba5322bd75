import { adminProcedure } from '../../trpc.ts';
import { updateResource } from '../../services/resources.ts';
import { withFieldErrors } from './field-errors.ts';
import { ZUpdateResourceInput, ZUpdateResourceOutput } from './update-resource.types.ts';

export const updateResourceRoute = adminProcedure
  .input(ZUpdateResourceInput)
  .output(ZUpdateResourceOutput)
  .mutation(({ ctx, input: { id, ...changes } }) =>
    withFieldErrors(() => updateResource(ctx, { userId: ctx.user.id, ip: ctx.ip }, id, changes)),
  );
