import { router } from '../../trpc.ts';
import { createUserRoute } from './create-user.ts';
import { listUsersRoute } from './list-users.ts';

export const usersRouter = router({
  create: createUserRoute,
  list: listUsersRoute,
});
