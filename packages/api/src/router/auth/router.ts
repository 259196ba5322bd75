import { router } from '../../trpc.ts';
import { getMeRoute } from './get-me.ts';
import { signInRoute } from './sign-in.ts';
import { signOutRoute } from './sign-out.ts';

export const authRouter = router({
  signIn: signInRoute,
  signOut: signOutRoute,
  me: getMeRoute,
});
