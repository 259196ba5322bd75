import { createTRPCReact, httpBatchLink } from '@trpc/react-query';
import superjson from 'superjson';
import type { AppRouter } from '@syncbridge/api';

/** Hooks for client-side reads and mutations (`trpc.integrations.list.useQuery()`). */
export const trpc = createTRPCReact<AppRouter>();

export function createBrowserTRPCClient() {
  return trpc.createClient({
    links: [httpBatchLink({ url: '/trpc', transformer: superjson })],
  });
}
