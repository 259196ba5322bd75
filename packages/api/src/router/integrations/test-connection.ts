import { adminProcedure } from '../../trpc.ts';
import { testIntegrationConnection } from '../../services/integrations.ts';
import { ZTestConnectionInput, ZTestConnectionOutput } from './test-connection.types.ts';

// A mutation although it changes nothing here: a draft carries credentials, which must travel in a
// POST body, never in a query string.
export const testConnectionRoute = adminProcedure
  .input(ZTestConnectionInput)
  .output(ZTestConnectionOutput)
  .mutation(({ ctx, input }) => testIntegrationConnection(ctx, { userId: ctx.user.id, ip: ctx.ip }, input));
