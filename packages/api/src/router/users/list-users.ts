import { adminProcedure } from '../../trpc.ts';
import { listUsers } from '../../services/users.ts';
import { ZListUsersOutput } from './list-users.types.ts';

export const listUsersRoute = adminProcedure
  .output(ZListUsersOutput)
  .query(async ({ ctx }) => ({ items: await listUsers(ctx) }));
