import { publicProcedure } from '../../trpc.ts';
import { signIn } from '../../services/auth.ts';
import { sessionCookies } from '../../services/sessions.ts';
import { ZSignInInput, ZSignInOutput } from './sign-in.types.ts';

// CSRF-exempt: there is no session to protect yet (a stale cookie must not block signing in).
export const signInRoute = publicProcedure
  .meta({ csrfExempt: true })
  .input(ZSignInInput)
  .output(ZSignInOutput)
  .mutation(async ({ ctx, input }) => {
    const { user, session } = await signIn(
      ctx,
      { email: input.email, password: input.password, ip: ctx.ip },
      { limit: ctx.auth.signInLimit, sessionTtlMs: ctx.auth.sessionTtlMs },
    );
    for (const cookie of sessionCookies(session, { secure: ctx.auth.secureCookies })) ctx.setCookie?.(cookie);
    return { user, csrfToken: session.csrfToken };
  });
