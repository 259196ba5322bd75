import { adminProcedure } from '../../trpc.ts';
import { updateIntegration } from '../../services/integrations.ts';
import { ZUpdateIntegrationInput, ZUpdateIntegrationOutput } from './update-integration.types.ts';

export const updateIntegrationRoute = adminProcedure
  .input(ZUpdateIntegrationInput)
  .output(ZUpdateIntegrationOutput)
  .mutation(({ ctx, input: { id, ...changes } }) =>
    updateIntegration(ctx, ctx.keyRing, { userId: ctx.user.id, ip: ctx.ip }, id, changes),
  );
