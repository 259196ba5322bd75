import { createTRPCReact, httpBatchLink } from '@trpc/react-query';
import superjson from 'superjson';
import type { AppRouter } from '@syncbridge/api';

/** Hooks for client-side reads and mutations (`trpc.integrations.list.useQuery()`). */
export const trpc = createTRPCReact<AppRouter>();

/** The session's CSRF token, from the script-readable `sb_csrf` cookie set at sign-in. */
function csrfToken(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  return /(?:^|;\s*)sb_csrf=([^;]+)/.exec(document.cookie)?.[1];
}

export function createBrowserTRPCClient() {
  return trpc.createClient({
    links: [
      httpBatchLink({
        url: '/trpc',
        transformer: superjson,
        // Mutations made with the session cookie must carry it (the server rejects them otherwise).
        headers: () => {
          const token = csrfToken();
          return token ? { 'x-csrf-token': token } : {};
        },
      }),
    ],
  });
}
