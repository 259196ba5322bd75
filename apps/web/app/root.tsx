import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
} from '@remix-run/react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { AppShell } from './components/AppShell.tsx';
import { NowProvider } from './components/RelativeTime.tsx';
import { useRootData, type RootData } from './components/user.ts';
import { createBrowserTRPCClient, trpc } from './trpc.ts';
import stylesHref from './styles.css?url';

export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'stylesheet', href: stylesHref },
];

export const meta: MetaFunction = () => [{ title: 'Syncbridge' }];

export async function loader({ context }: LoaderFunctionArgs): Promise<RootData> {
  // Who is signed in (null when nobody) and the CSRF token the tRPC client echoes on mutations.
  const { user, csrfToken } = await context.trpc.auth.me();
  return { user, csrfToken, renderedAt: new Date() };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRootData();
  // Effects run once hydration has committed: from here on the page reacts to input (tests wait for it).
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <NowProvider initial={data?.renderedAt ?? new Date(0)}>
          <AppShell user={data?.user ?? null} csrfToken={data?.csrfToken ?? null}>
            {children}
          </AppShell>
        </NowProvider>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

function httpStatusOf(error: unknown): number | null {
  if (!(error instanceof TRPCClientError)) return null;
  return (error.data as { httpStatus?: number } | undefined)?.httpStatus ?? null;
}

/** 4xx answers are final (a retry gets the same answer); anything else is retried twice. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== null && status >= 400 && status < 500) return false;
  return failureCount < 2;
}

/** The session ended (expired, signed out in another tab): polling pages go to the sign-in page. */
function signInAgainWhenSignedOut(error: unknown) {
  if (httpStatusOf(error) === 401) window.location.assign('/sign-in');
}

function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: signInAgainWhenSignedOut }),
    mutationCache: new MutationCache({ onError: signInAgainWhenSignedOut }),
    defaultOptions: { queries: { staleTime: 10_000, retry: shouldRetry } },
  });
}

export default function App() {
  const { csrfToken } = useLoaderData<typeof loader>();
  // Read at request time, so a token that changes (sign-in, sign-out) needs no new client.
  const csrf = useRef(csrfToken);
  csrf.current = csrfToken;
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() => createBrowserTRPCClient(() => csrf.current));
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <Outlet />
      </QueryClientProvider>
    </trpc.Provider>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  // Details stay in the server log; the page only says what kind of failure it was.
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <section className="page-error" aria-labelledby="error-title">
        <h1 id="error-title">You do not have access to this page</h1>
        <p>Your role does not allow it. Ask an admin if you need access.</p>
        <p>
          <Link to="/">Back to the dashboard</Link>
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="page-error" aria-labelledby="error-title">
        <h1 id="error-title">Page not found</h1>
        <p>
          <Link to="/">Back to the dashboard</Link>
        </p>
      </section>
    );
  }
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : 'Something went wrong';
  return (
    <section className="page-error" aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      <p>Try again in a moment. If it keeps happening, check the server log.</p>
    </section>
  );
}
