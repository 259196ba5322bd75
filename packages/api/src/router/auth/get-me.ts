import { publicProcedure } from '../../trpc.ts';
import { ZGetMeOutput } from './get-me.types.ts';

export const getMeRoute = publicProcedure.output(ZGetMeOutput).query(({ ctx }) => ({
  user: ctx.user,
  csrfToken: ctx.session?.csrfToken ?? null,
}));
