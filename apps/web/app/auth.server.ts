// Route guards for loaders. Procedures check roles themselves; these only decide what page to
// render: signed out → the sign-in page, role too low → a 403 the route's error boundary shows.
import { redirect, type AppLoadContext } from '@remix-run/node';
import type { SessionUser } from '@syncbridge/api';
import { can, type Role } from './components/roles.ts';

/** The signed-in user, or a redirect to /sign-in. */
export async function requireUser(context: AppLoadContext): Promise<SessionUser> {
  const { user } = await context.trpc.auth.me();
  if (!user) throw redirect('/sign-in');
  return user;
}

/** The signed-in user when their role is at least `minimum`; otherwise a 403 response. */
export async function requireRole(context: AppLoadContext, minimum: Role): Promise<SessionUser> {
  const user = await requireUser(context);
  if (!can(user.role, minimum)) {
    throw new Response('Your role does not allow this page.', { status: 403, statusText: 'Forbidden' });
  }
  return user;
}
