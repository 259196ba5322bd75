import { staffProcedure } from '../../trpc.ts';
import { discoverFields } from '../../services/resources.ts';
import { ZDiscoverResourceFieldsInput, ZDiscoverResourceFieldsOutput } from './discover-resource-fields.types.ts';

// STAFF and a mutation: it calls the external API (under the connection's shared rate limit),
// stores the fields it found and may raise a SCHEMA_DRIFT alert.
export const discoverResourceFieldsRoute = staffProcedure
  .input(ZDiscoverResourceFieldsInput)
  .output(ZDiscoverResourceFieldsOutput)
  .mutation(({ ctx, input }) => discoverFields(ctx, { userId: ctx.user.id, ip: ctx.ip }, input.resourceId));
