import { createTRPCReact, httpBatchLink, type inferReactQueryProcedureOptions } from '@trpc/react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import superjson from 'superjson';
import type { AppRouter } from '@syncbridge/api';

/** Hooks for client-side reads and mutations (`trpc.integrations.list.useQuery()`). */
export const trpc = createTRPCReact<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type ReactQueryOptions = inferReactQueryProcedureOptions<AppRouter>;

/** The CSRF header the server checks on every mutation made with the session cookie. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * `csrfToken` reads the session's token at request time: it comes from the root loader's data
 * (auth.me), which changes when someone signs in or out without the client being rebuilt.
 */
export function createBrowserTRPCClient(csrfToken: () => string | null) {
  return trpc.createClient({
    links: [
      httpBatchLink({
        url: '/trpc',
        transformer: superjson,
        // Mutations made with the session cookie must carry it (the server rejects them otherwise).
        headers: () => {
          const token = csrfToken();
          return token ? { [CSRF_HEADER]: token } : {};
        },
      }),
    ],
  });
}
