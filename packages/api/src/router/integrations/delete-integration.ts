import { adminProcedure } from '../../trpc.ts';
import { deleteIntegration } from '../../services/integrations.ts';
import { ZDeleteIntegrationInput, ZDeleteIntegrationOutput } from './delete-integration.types.ts';

export const deleteIntegrationRoute = adminProcedure
  .input(ZDeleteIntegrationInput)
  .output(ZDeleteIntegrationOutput)
  .mutation(async ({ ctx, input }) => ({
    removed: await deleteIntegration(ctx, { userId: ctx.user.id, ip: ctx.ip }, input.id),
  }));
