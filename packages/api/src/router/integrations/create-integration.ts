import { adminProcedure } from '../../trpc.ts';
import { createIntegration } from '../../services/integrations.ts';
import { ZCreateIntegrationInput, ZCreateIntegrationOutput } from './create-integration.types.ts';

export const createIntegrationRoute = adminProcedure
  .input(ZCreateIntegrationInput)
  .output(ZCreateIntegrationOutput)
  .mutation(({ ctx, input }) => createIntegration(ctx, ctx.keyRing, { userId: ctx.user.id, ip: ctx.ip }, input));
