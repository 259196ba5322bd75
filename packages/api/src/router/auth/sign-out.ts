import { publicProcedure } from '../../trpc.ts';
import { signOut } from '../../services/auth.ts';
import { clearedSessionCookies } from '../../services/sessions.ts';
import { ZSignOutOutput } from './sign-out.types.ts';

// Public so an expired session can still clear its cookies; with a live session the CSRF guard applies.
export const signOutRoute = publicProcedure.output(ZSignOutOutput).mutation(async ({ ctx }) => {
  await signOut(ctx, { userId: ctx.user?.id ?? null, ip: ctx.ip }, ctx.session?.id ?? null);
  for (const cookie of clearedSessionCookies({ secure: ctx.auth.secureCookies })) ctx.setCookie?.(cookie);
  return { signedOut: true } as const;
});
