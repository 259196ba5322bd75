import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

export const meta: MetaFunction = () => [{ title: 'Sign in · Syncbridge' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Already signed in: nothing to do here.
  const { user } = await context.trpc.auth.me();
  if (user) throw redirect('/');
  const error = new URL(request.url).searchParams.get('error');
  return {
    error:
      error === 'throttled'
        ? 'Too many attempts: wait a few minutes.'
        : error
          ? 'Email or password is incorrect.'
          : null,
  };
}

// A plain form posting to the server's /sign-in handler: works before (and without) JavaScript.
export default function SignIn() {
  const { error } = useLoaderData<typeof loader>();
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/sign-in">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" className="button button--primary">
          Sign in
        </button>
      </form>
      <p className="muted">No account? Ask an admin.</p>
    </section>
  );
}
